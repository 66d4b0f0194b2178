// Modules imported through source-text-loader export the file's text.
declare module '!!*' {
  const source: string;
  export default source;
}
