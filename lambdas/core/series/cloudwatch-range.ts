/**
 * The magnitudes CloudWatch stores besides 0: 8.515920e-109 to 1.174271e+108, about 2^-360 to
 * 2^360 (PutMetricData's documented value range). A load read from CloudWatch never lies outside
 * them, so the series readers hold every other source to the same range; the models square
 * values, and magnitudes far beyond it (about 1e152) would overflow a double.
 */
export const MIN_VALUE_MAGNITUDE = 8.51592e-109;
export const MAX_VALUE_MAGNITUDE = 1.174271e108;
