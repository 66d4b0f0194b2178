// An empty module: what Docusaurus' virtual modules are to walkthroughs loaded in Node (see node-stand-ins.ts).
module.exports = {};
