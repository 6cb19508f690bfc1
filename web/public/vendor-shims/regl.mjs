// regl ships only a UMD build: index.html loads it as a classic script, which sets the global
// createREGL, and this module hands that global to regl-scatterplot's `import ... from 'regl'`.
export default globalThis.createREGL;
