// Row-wise helpers for a bias (CKernels.h): its value repeated in every row of a batch, and its
// gradient summed over the rows.
#include "lanes.h"

INLINE void add_column_sums_body(const float *x, size_t rows, size_t columns, float *out) {
    size_t c = 0;
    for (; c + 4 * LANES <= columns; c += 4 * LANES) {   // four sums in flight
        f8 a0 = load8(out + c), a1 = load8(out + c + LANES);
        f8 a2 = load8(out + c + 2 * LANES), a3 = load8(out + c + 3 * LANES);
        for (size_t r = 0; r < rows; r++) {
            const float *p = x + r * columns + c;
            a0 += load8(p); a1 += load8(p + LANES); a2 += load8(p + 2 * LANES); a3 += load8(p + 3 * LANES);
        }
        store8(out + c, a0); store8(out + c + LANES, a1);
        store8(out + c + 2 * LANES, a2); store8(out + c + 3 * LANES, a3);
    }
    for (; c + LANES <= columns; c += LANES) {
        f8 acc = load8(out + c);
        for (size_t r = 0; r < rows; r++) acc += load8(x + r * columns + c);
        store8(out + c, acc);
    }
    if (c < columns) {
        for (size_t r = 0; r < rows; r++) {
            for (size_t k = c; k < columns; k++) out[k] += x[r * columns + k];
        }
    }
}
TWO_BUILDS(add_column_sums, (const float *x, size_t rows, size_t columns, float *out), (x, rows, columns, out))

INLINE void repeat_row_body(const float *row, size_t rows, size_t columns, float *y) {
    for (size_t r = 0; r < rows; r++) {
        float *out = y + r * columns;
        size_t c = 0;
        for (; c + LANES <= columns; c += LANES) store8(out + c, load8(row + c));
        for (; c < columns; c++) out[c] = row[c];
    }
}
TWO_BUILDS(repeat_row, (const float *row, size_t rows, size_t columns, float *y), (row, rows, columns, y))
