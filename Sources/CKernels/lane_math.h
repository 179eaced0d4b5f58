// e^x and erf x over eight lanes, the way Cephes and Eigen/XLA compute them for float: no
// libm call per value. Both are polynomials (erf a rational function), exact to a few ulp;
// TensorCoreTests measure them against the double-precision functions.
#ifndef DESCENT_LANE_MATH_H
#define DESCENT_LANE_MATH_H

#include "lanes.h"

/// e^x, the Cephes `expf` way: x = n ln 2 + r with |r| ≤ ½ ln 2, a degree-6 polynomial for e^r,
/// times 2ⁿ built in the exponent bits. Within 2 ulp of e^x on [−87, 88]; clamped outside it
/// (tiny below, e⁸⁸ above); NaN stays NaN.
INLINE f8 exp8(f8 x) {
    f8 c = x > 88.0f ? (f8)88.0f : x;
    c = c < -87.3365478515625f ? (f8)-87.3365478515625f : c;
    // n = x / ln 2 rounded to the nearest whole number: adding and taking away 1.5 · 2²³ rounds
    // in the adder, without a rounding instruction (which the baseline build lacks).
    f8 n = (c * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
    f8 r = c - n * 0.693359375f - n * -2.12194440e-4f;
    // The polynomial in Estrin's form (pairs, then r² and r⁴): a shorter chain of dependent
    // operations than Horner's, so more values are in flight (the error bound still holds).
    f8 r2 = r * r, r4 = r2 * r2;
    f8 p = (r * 1.6666665459e-1f + 5.0000001201e-1f) + r2 * (r * 8.3334519073e-3f + 4.1665795894e-2f)
         + r4 * (r * 1.9875691500e-4f + 1.3981999507e-3f);
    p = p * r2 + r + 1.0f;
    // n + 127 is a whole number in 1…254: added to 2²³ its value lands in the mantissa bits,
    // which shifted up 23 places are the exponent bits of 2ⁿ (no float-to-int conversion).
    u8 biased = (u8)(n + (127.0f + 8388608.0f)) & 0x7FFFFFu;
    return p * (f8)(biased << 23);
}

/// erf x in the form Eigen and XLA use for float: an odd degree-13 over even degree-8 rational
/// function of x on [−4, 4] (±1 beyond, after rounding). At most 4.2e-7 from the exact erf on
/// [−6, 6]; NaN stays NaN.
INLINE f8 erf8(f8 x) {
    f8 c = x > 4.0f ? (f8)4.0f : x;
    c = c < -4.0f ? (f8)-4.0f : c;
    f8 x2 = c * c, x4 = x2 * x2, x8 = x4 * x4;
    // Numerator and denominator in Estrin's form (as for exp8).
    f8 p = (x2 * -5.69250639462346e-05f + -7.34990630326855e-04f) * x4
         + (x2 * -2.95459980854025e-03f + -1.60960333262415e-02f)
         + (x4 * -2.72614225801306e-10f + x2 * 2.77068142495902e-08f + -2.10102402082508e-06f) * x8;
    p = c * p;
    f8 q = (x2 * -7.37332916720468e-03f + -1.42647390514189e-02f)
         + (x2 * -2.13374055278905e-04f + -1.68282697438203e-03f) * x4
         + x8 * -1.45660718464996e-05f;
    return p / q;
}

#endif
