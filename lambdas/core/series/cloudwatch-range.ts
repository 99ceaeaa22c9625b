/**
 * The magnitudes CloudWatch stores besides 0: 8.515920e-109 to 1.174271e+108, about 2^-360 to
 * 2^360 (PutMetricData's documented value range). A load read from CloudWatch is never larger, so
 * the CSV reader refuses larger magnitudes too: the models square values, and magnitudes far
 * beyond the maximum (about 1e152) would overflow a double. Smaller non-zero magnitudes are kept
 * (they only lose precision); the forecast publisher writes them as 0.
 */
export const MIN_VALUE_MAGNITUDE = 8.51592e-109;
export const MAX_VALUE_MAGNITUDE = 1.174271e108;
