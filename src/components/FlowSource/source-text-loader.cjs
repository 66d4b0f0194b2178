// A bundler loader that turns a file into a module exporting its text, so a
// page can show the very source file its walkthrough runs. Used inline:
// import source from '!!<this file>!<the source file>'.
module.exports = function sourceTextLoader(source) {
  return `export default ${JSON.stringify(source)};`;
};
