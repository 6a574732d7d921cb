// One training and evaluation loop for every registered model, with full TensorBoard logging.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "../data/datasets.hpp"
#include "../models/classifier.hpp"
#include "tblog/hparams.hpp"

namespace trainers {

struct TrainConfig {
  ModelConfig model;
  std::string optimizer = "adam";  // sgd | momentum | adam | adagrad | rmsprop
  double lr = 1e-3;
  std::string schedule = "constant";  // constant | cosine (anneals lr to 0 over the run)
  double momentum = 0.9;              // for "momentum" (SGD with momentum) and rmsprop
  double weight_decay = 0;
  int batch_size = 64;
  int epochs = 5;
  std::int64_t max_steps = 0;  // > 0: stop after this many steps, whatever the epochs
  double clip_grad_norm = 0;   // > 0: clip the global gradient norm
  // > 0: the training loss's targets put 1 - this on the label and spread this over all
  // classes (test loss stays plain cross-entropy, so runs compare).
  double label_smoothing = 0;
  std::uint64_t seed = 1;
  std::string device = "cpu";
  bool augment = false;      // random translation (crop of a zero-padded image), optional flip
  int augment_pad = 4;       // largest shift in pixels
  bool augment_flip = true;  // horizontal flips: right for CIFAR-10, wrong for digits
  int log_every = 50;        // steps between train loss/accuracy points
  int summary_every = 100;   // steps between weight summaries
  bool grad_histograms = false;
  bool logging = true;  // false: no event files at all (to measure logging's overhead)
  bool progress = true;
  std::string logdir;  // the run directory
  // Test images for the per-epoch activation statistics. 64 give 301k conv1 values, plenty for
  // the statistics, and keep logging under 2% of LeNet5's short subset epochs (256 cost 3.9%).
  int activation_images = 64;
  // Diagnostics and visualizations (visualize/visual_log.hpp): per-class PR curves, confusion
  // matrix, most-wrong images, the graph, embeddings; for conv nets the deconvnet figures,
  // feature evolution and occlusion maps.
  bool visuals = true;
  int embedding_points = 1000;     // test images shown in the PROJECTOR (0: none)
  int deconv_images = 1000;        // test images searched for each feature map's top 9 (at the end)
  bool deconv_each_epoch = false;  // the top-9 figures after every epoch too (step = epoch)
  // Test images searched each epoch for the feature-evolution frame: a forward pass over them
  // every epoch, so few (1000 cost 15% of a LeNet5 epoch on the CIFAR-10 subset).
  int evolution_images = 128;
  int occlusion_images = 4;  // test images with occlusion maps (0: none)
  int occlusion_size = 0;    // side of the grey square; 0: a quarter of the image
  int occlusion_stride = 2;
  int occlusion_gray = -1;  // grey level 0..255 of the square; -1: the data set's mean
  // Also log this run's per-epoch test accuracy as "<compare_group>/test_accuracy", a tag that
  // only the runs of one comparison share, so one chart holds exactly those runs (e.g.
  // "Epoch/rnn_vs_lstm_vs_gru/hidden_128": the three cells of one hidden size).
  std::string compare_group;
  // Save a checkpoint (model, optimizer, random state, data position) every this many steps
  // into logdir/checkpoint.pt; 0: never.
  std::int64_t checkpoint_every = 0;
  // Continue from logdir/checkpoint.pt when there is one (a fresh run otherwise). The event file
  // continues with TensorBoard's purge semantics: points the killed run logged after its
  // checkpoint are discarded by TensorBoard, so no doubled tail shows.
  bool resume = false;
  // Write an HParams session for this run (off for follow-up runs that are not part of the
  // experiment, e.g. a setting retrained on other data).
  bool hparams_session = true;
};

struct TrainResult {
  double train_accuracy = 0, train_loss = 0;  // over the last epoch's batches
  double test_accuracy = 0, test_loss = 0;
  double seconds = 0;
  double examples_per_second = 0;    // training throughput
  double logging_seconds = 0;        // spent in logging calls on the training thread
  double visuals_epoch_seconds = 0;  // of which per-epoch diagnostics and visualizations
  double visuals_final_seconds = 0;  // end-of-run visualizations (deconvnet, occlusion, embeddings)
  std::int64_t steps = 0;
  int epochs = 0;
};

// What a resumed run must share with its checkpoint (checkpoint.hpp), as (option, value) pairs:
// the model, the data and its order, the optimisation; --epochs only under a cosine schedule,
// whose rate it sets. The other options may change on resume.
std::vector<std::pair<std::string, std::string>> resume_settings_of(const TrainConfig& c,
                                                                    const DataSplit& data);

// The run's hyperparameters as logged to the HPARAMS dashboard. Every model has the same keys
// (HParams draws no line for a session that lacks a value of a shown column): model (lenet5,
// rnn, lstm, gru), optimizer, lr, momentum, schedule, weight_decay, batch_size, epochs,
// hidden_units (LeNet5's fc1 width, or the recurrent hidden size), layers, activation, augment,
// clip_grad_norm, label_smoothing, seed.
tblog::HParams hparams_of(const TrainConfig& config);

// The per-epoch series, step = epoch (1, 2, ...): runs with different batch sizes line up.
// Their last values are the run's final metrics, the ones HParams and the results tables show.
// The group is "Epoch", capitalised: TensorBoard's Time Series sorts groups with capitals first
// and opens only the first two (here Epoch and W1_SUMMARY).
inline constexpr const char* kEpochGroup = "Epoch";
inline constexpr const char* kEpochTestAccuracy = "Epoch/test_accuracy";
inline constexpr const char* kEpochTestLoss = "Epoch/test_loss";
inline constexpr const char* kEpochTrainAccuracy = "Epoch/train_accuracy";
inline constexpr const char* kEpochTrainLoss = "Epoch/train_loss";

class DataParallel;

// Throws std::invalid_argument on a bad configuration (unknown optimizer, cuda without CUDA...).
// With `data_parallel`, this process is one rank: it trains on its share of every batch of
// config.batch_size x world_size examples, gradients and metrics are summed over the ranks, and
// every rank ends with the same weights.
TrainResult train_classifier(const TrainConfig& config, const DataSplit& data,
                             DataParallel* data_parallel = nullptr);

// Markdown table of a configuration, for the run's "config" text summary.
std::string config_markdown(const TrainConfig& config, const DataSplit& data);

}  // namespace trainers
