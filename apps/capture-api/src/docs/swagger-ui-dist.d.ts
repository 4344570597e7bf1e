// swagger-ui-dist ships no types; this is the one file of it the service loads in Node.
declare module 'swagger-ui-dist/absolute-path.js' {
  /** The folder holding swagger-ui-dist's built assets. */
  const getAbsoluteFSPath: () => string;
  export default getAbsoluteFSPath;
}
