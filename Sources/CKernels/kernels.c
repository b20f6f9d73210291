#include "kernels.h"
#include <math.h>

// Each kernel is compiled twice, for AVX2 and for the x86-64 baseline, and the
// loader picks the one the CPU runs (an ifunc). Both give the same bits: the
// operations are elementwise IEEE adds, multiplies, divides and square roots,
// and Package.swift turns off FMA contraction, which would round differently.
#if defined(__x86_64__) && defined(__clang__)
#define MULTIVERSION __attribute__((target_clones("avx2", "default")))
#else
#define MULTIVERSION
#endif

// Adam, PyTorch's form: g' = g + wd w; m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2;
// w -= step_size * m / (sqrt(v) * inv_sqrt_bc2 + eps), step_size = lr / bc1.
#define ADAM_BODY(T, SQRT)                                                        \
    const T c1 = (T)1 - beta1, c2 = (T)1 - beta2;                                 \
    for (size_t i = 0; i < n; i++) {                                              \
        T gi = g[i] + weight_decay * w[i];                                        \
        g[i] = (T)0;                                                              \
        T mi = beta1 * m[i] + c1 * gi;                                            \
        T vi = beta2 * v[i] + c2 * gi * gi;                                       \
        m[i] = mi;                                                                \
        v[i] = vi;                                                                \
        w[i] -= step_size * mi / (SQRT(vi) * inv_sqrt_bc2 + eps);                 \
    }

MULTIVERSION
void op_adam_f32(float *restrict w, float *restrict g, float *restrict m, float *restrict v, size_t n,
                 float beta1, float beta2, float step_size, float inv_sqrt_bc2, float eps, float weight_decay) {
    ADAM_BODY(float, sqrtf)
}

MULTIVERSION
void op_adam_f64(double *restrict w, double *restrict g, double *restrict m, double *restrict v, size_t n,
                 double beta1, double beta2, double step_size, double inv_sqrt_bc2, double eps, double weight_decay) {
    ADAM_BODY(double, sqrt)
}

// SGD, PyTorch's form: v = momentum v + g + wd w; w -= lr v.
#define SGD_BODY(T)                                                               \
    for (size_t i = 0; i < n; i++) {                                              \
        T vi = momentum * velocity[i] + g[i] + weight_decay * w[i];               \
        g[i] = (T)0;                                                              \
        velocity[i] = vi;                                                         \
        w[i] -= lr * vi;                                                          \
    }

MULTIVERSION
void op_sgd_f32(float *restrict w, float *restrict g, float *restrict velocity, size_t n,
                float lr, float momentum, float weight_decay) {
    SGD_BODY(float)
}

MULTIVERSION
void op_sgd_f64(double *restrict w, double *restrict g, double *restrict velocity, size_t n,
                double lr, double momentum, double weight_decay) {
    SGD_BODY(double)
}

#define RELU(T, NAME)                                                             \
    MULTIVERSION void NAME(const T *restrict z, T *restrict a, size_t n) {                     \
        for (size_t i = 0; i < n; i++) a[i] = z[i] < (T)0 ? (T)0 : z[i];          \
    }
RELU(float, op_relu_f32)
RELU(double, op_relu_f64)

#define RELU_BACKWARD(T, NAME)                                                    \
    MULTIVERSION void NAME(const T *restrict da, const T *restrict z, T *restrict out, size_t n) { \
        /* Both loads unconditional, so the select vectorizes (a blend). */   \
        for (size_t i = 0; i < n; i++) { T d = da[i]; out[i] = z[i] > (T)0 ? d : (T)0; } \
    }
RELU_BACKWARD(float, op_relu_backward_f32)
RELU_BACKWARD(double, op_relu_backward_f64)

#define COLUMN_SUMS(T, NAME)                                                      \
    MULTIVERSION void NAME(const T *restrict x, size_t rows, size_t cols, T *restrict out) {   \
        for (size_t j = 0; j < cols; j++) out[j] = 0;                             \
        for (size_t r = 0; r < rows; r++) {                                       \
            const T *row = x + r * cols;                                          \
            for (size_t j = 0; j < cols; j++) out[j] += row[j];                   \
        }                                                                         \
    }
COLUMN_SUMS(float, op_column_sums_f32)
COLUMN_SUMS(double, op_column_sums_f64)

#define FILL_ROWS(T, NAME)                                                        \
    MULTIVERSION void NAME(T *restrict z, const T *restrict b, size_t rows, size_t cols) {     \
        for (size_t r = 0; r < rows; r++) {                                       \
            T *row = z + r * cols;                                                \
            for (size_t j = 0; j < cols; j++) row[j] = b[j];                      \
        }                                                                         \
    }
FILL_ROWS(float, op_fill_rows_f32)
FILL_ROWS(double, op_fill_rows_f64)
