export const EXIT_OK = 0;
/** The pipeline or an operation failed. */
export const EXIT_FAILED = 1;
/** Bad input: usage or configuration. */
export const EXIT_BAD_INPUT = 2;
