/**
 * The transcendental functions the core uses, declared once. `Math.exp`, `Math.log`, `Math.pow`
 * and `Math.cos` are not specified to the last bit, and V8 versions (Node.js against a current
 * browser) disagree by one ulp on some inputs, which can move a discrete outcome. These are
 * stdlib's pure-JS ports of FreeBSD's msun: the same bits in every engine. (`Math.sqrt` and
 * basic arithmetic are exact in IEEE 754 and need no port.) test/architecture.test.ts keeps the
 * bare `Math` versions out of the core.
 */
import stdlibCos from '@stdlib/math-base-special-cos';
import stdlibExp from '@stdlib/math-base-special-exp';
import stdlibLn from '@stdlib/math-base-special-ln';
import stdlibPow from '@stdlib/math-base-special-pow';

/** e^x. */
export const exp: (x: number) => number = stdlibExp;
/** The natural logarithm. */
export const ln: (x: number) => number = stdlibLn;
/** base^exponent. */
export const pow: (base: number, exponent: number) => number = stdlibPow;
/** The cosine of x radians. */
export const cos: (x: number) => number = stdlibCos;
