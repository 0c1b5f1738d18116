// Shared types of marketsim::nn: batch matrices (features x batch), hashed inputs, targets, and
// grow-only scratch buffers.
#pragma once

#include <Eigen/Core>
#include <cstdint>

namespace marketsim::nn {

// A batch of activations: column-major, one column per example (features x batch).
template <class T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
template <class T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using RowVector = Eigen::Matrix<T, 1, Eigen::Dynamic>;

// Views without copies. A Ref binds a Matrix, a Map or a block of whole columns or rows; binding
// anything else makes a temporary copy, so callers pass only those.
template <class T>
using MatrixMap = Eigen::Map<Matrix<T>, Eigen::AlignedMax>;
template <class T>
using ConstMatrixMap = Eigen::Map<const Matrix<T>, Eigen::AlignedMax>;
template <class T>
using MatrixRef = Eigen::Ref<Matrix<T>>;
template <class T>
using ConstMatrixRef = Eigen::Ref<const Matrix<T>>;

// Hashed categorical inputs, fields x batch: x(f, j) is the bucket of field f of example j, a
// column of the one embedding table that all fields share (the hashing trick).
using IndexMatrix = Eigen::Matrix<std::uint32_t, Eigen::Dynamic, Eigen::Dynamic>;

// The labels of a batch of B examples for a network with `tasks` outputs.
//   label(t, j)  in [0, 1] (normally 0 or 1): example j's label for task t.
//   mask(t, j)   1 when that label is present, 0 when absent (its loss term is skipped).
//   weight(j)    >= 0: example j's sample weight.
// Shapes: label and mask tasks x B, weight 1 x B.
template <class T>
struct Targets {
  Matrix<T> label;
  Matrix<T> mask;
  RowVector<T> weight;
};

// Storage for one batch-sized matrix that only grows: resize() to a size within the capacity
// reuses the memory, so steady-state calls do not allocate even when the batch size varies.
// The contents after resize() are unspecified; a view stays valid until a later resize() grows
// the storage.
template <class T>
class Buffer {
 public:
  // A rows x cols view of the storage (grown to rows * cols entries when smaller).
  MatrixMap<T> resize(Eigen::Index rows, Eigen::Index cols) {
    if (rows * cols > storage_.size()) storage_.resize(rows * cols);
    rows_ = rows;
    cols_ = cols;
    return view();
  }

  // The view set by the last resize().
  MatrixMap<T> view() { return MatrixMap<T>(storage_.data(), rows_, cols_); }
  ConstMatrixMap<T> view() const { return ConstMatrixMap<T>(storage_.data(), rows_, cols_); }

 private:
  Vector<T> storage_;
  Eigen::Index rows_ = 0;
  Eigen::Index cols_ = 0;
};

}  // namespace marketsim::nn
