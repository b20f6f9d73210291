#ifndef OVERPARAM_KERNELS_H
#define OVERPARAM_KERNELS_H
// Elementwise optimizer kernels in C: `restrict` pointers let the compiler
// vectorize them (Swift's generic loops over four aliasable buffers stay scalar).
// Built for AVX2 and for the baseline, picked at load time (kernels.c): IEEE
// sqrt and division round the same in any width, so the bits match a scalar
// loop on every x86-64 host.
//
// The optimizer steps consume the gradient: they leave it zero, so the next
// backward pass accumulates onto it (GEMMs with beta = 1) instead of clearing it
// in a pass of its own.
#include <stddef.h>

void op_adam_f32(float *restrict w, float *restrict g, float *restrict m, float *restrict v, size_t n,
                 float beta1, float beta2, float step_size, float inv_sqrt_bc2, float eps, float weight_decay);
void op_adam_f64(double *restrict w, double *restrict g, double *restrict m, double *restrict v, size_t n,
                 double beta1, double beta2, double step_size, double inv_sqrt_bc2, double eps, double weight_decay);
void op_sgd_f32(float *restrict w, float *restrict g, float *restrict velocity, size_t n,
                float lr, float momentum, float weight_decay);
void op_sgd_f64(double *restrict w, double *restrict g, double *restrict velocity, size_t n,
                double lr, double momentum, double weight_decay);


// ReLU forward (a = z < 0 ? 0 : z, so NaN stays NaN) and backward (out = z > 0 ? da : 0).
void op_relu_f32(const float *restrict z, float *restrict a, size_t n);
void op_relu_f64(const double *restrict z, double *restrict a, size_t n);
void op_relu_backward_f32(const float *restrict da, const float *restrict z, float *restrict out, size_t n);
void op_relu_backward_f64(const double *restrict da, const double *restrict z, double *restrict out, size_t n);
// out[j] = sum over rows of x[r, j] (row-major rows x cols), summed in row order.
void op_column_sums_f32(const float *restrict x, size_t rows, size_t cols, float *restrict out);
void op_column_sums_f64(const double *restrict x, size_t rows, size_t cols, double *restrict out);
// z[r, j] = b[j] for every row (row-major rows x cols): a layer's biases, which
// its GEMM then adds onto (beta = 1) instead of clearing z in a pass of its own.
void op_fill_rows_f32(float *restrict z, const float *restrict b, size_t rows, size_t cols);
void op_fill_rows_f64(double *restrict z, const double *restrict b, size_t rows, size_t cols);
#endif
