// tbtrain cnn | rnn: one training run of LeNet5 or of a recurrent classifier.
#include "../loop/config_check.hpp"
#include "command.hpp"

namespace trainers::cli {
namespace {

struct TrainCommand {
  TrainConfig config;
  DataOptions data;
  std::string logdir;

  int run(const std::string& label) {
    config.logdir = logdir;
    check_config(config);
    data.check();
    print_result(label, train_classifier(config, data.load()));
    return 0;
  }
};

}  // namespace

Command add_cnn_command(CLI::App& app) {
  auto state = std::make_shared<TrainCommand>();
  TrainConfig& c = state->config;
  c.model.name = "lenet5";
  state->logdir = "runs/lenet5";
  auto* cnn = app.add_subcommand("cnn", "Train LeNet5 (filters, activations, weights logged)");
  state->data.add_to(cnn);
  add_training_options(cnn, c);
  cnn->add_option("--activation", c.model.activation, "tanh | relu")
      ->check(CLI::IsMember({"tanh", "relu"}));
  cnn->add_option("--fc1", c.model.fc1, "Width of the first fully connected layer");
  cnn->add_flag("--augment", c.augment, "Random crop (pad 4) and horizontal flip");
  cnn->add_option("--activation-images", c.activation_images,
                  "Test images for the per-epoch activation statistics (0: none)");
  cnn->add_option("--logdir", state->logdir, "Run directory");
  return {cnn, [state] { return state->run("lenet5"); }};
}

Command add_rnn_command(CLI::App& app) {
  auto state = std::make_shared<TrainCommand>();
  TrainConfig& c = state->config;
  c.model.name = "recurrent";
  c.batch_size = 128;
  c.augment_pad = 2;  // digits: small shifts, never mirrored
  c.augment_flip = false;
  state->logdir = "runs/rnn";
  auto* rnn = app.add_subcommand("rnn", "Train an RNN/LSTM/GRU on images read row by row");
  state->data.add_to(rnn);
  add_training_options(rnn, c);
  rnn->add_option("--cell", c.model.cell, "rnn | lstm | gru")
      ->check(CLI::IsMember({"rnn", "lstm", "gru"}));
  rnn->add_option("--hidden", c.model.hidden, "Hidden size");
  rnn->add_option("--layers", c.model.layers, "Stacked layers");
  rnn->add_option("--clip", c.clip_grad_norm, "Clip the gradient norm (0: off)");
  rnn->add_flag("--augment", c.augment, "Random shifts of up to 2 pixels (no flips)");
  rnn->add_option("--logdir", state->logdir, "Run directory");
  return {rnn, [state] { return state->run(state->config.model.cell); }};
}

}  // namespace trainers::cli
