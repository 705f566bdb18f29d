/** lbsim's version, as in package.json (a test keeps the two equal). */
export const LBSIM_VERSION = '0.1.0';
