// Everything one training run is told. The command-line options, sweep axes, checks and HParams
// keys of these fields are declared once, in settings.cpp.
#pragma once

#include <cstdint>
#include <string>

#include "../models/model_config.hpp"

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
  bool augment = false;      // random shifts and flips, as the model's entry says (Augmentation)
  int log_every = 50;        // steps between train loss/accuracy points
  int summary_every = 100;   // steps between weight summaries
  bool grad_histograms = false;
  bool logging = true;  // false: no event files at all (to measure logging's overhead)
  bool progress = true;
  std::string logdir;  // the run directory
  // s3:// run directories: seconds between uploads of new events, and the seconds uploads may
  // fail before the console says so (tblog::UploadWatch).
  double upload_interval = 30;
  double upload_warn_after = 60;
  // Test images for the per-epoch activation statistics. 64 give 301k conv1 values, plenty for
  // the statistics, and keep logging under 2% of LeNet5's short subset epochs (256 cost 3.9%).
  int activation_images = 64;
  // Diagnostics and visualizations (visualize/visuals.hpp): per-class PR curves, confusion
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

}  // namespace trainers
