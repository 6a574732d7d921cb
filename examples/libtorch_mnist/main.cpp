// MNIST with LibTorch in the shape of pytorch/examples' C++ mnist, and TensorBoard through
// tblog's LibTorch layer: the lines marked "tblog" are all it adds, and the run
// gets loss, accuracy, learning rate, throughput, weight and gradient statistics, update ratios,
// activation statistics, filter grids, a confusion matrix, per-class PR curves, the most
// confident mistakes, an embedding, an HParams session, and the deconvnet and occlusion figures.
//
// Usage: libtorch_mnist MNIST_DIR LOGDIR [EPOCHS] [MAX_BATCHES_PER_EPOCH] [TEST_EXAMPLES]
// [LOG_EVERY] MNIST_DIR holds the four uncompressed IDX files (train-images-idx3-ubyte ...).
#include <torch/torch.h>
#include <tblog/torch.hpp>  // tblog

#include <cstdio>
#include <cstdlib>
#include <string>

struct NetImpl : torch::nn::Module {
  NetImpl()
      : conv1(torch::nn::Conv2dOptions(1, 10, 5)),
        conv2(torch::nn::Conv2dOptions(10, 20, 5)),
        fc1(320, 50),
        fc2(50, 10) {
    register_module("conv1", conv1);
    register_module("conv2", conv2);
    register_module("conv2_drop", conv2_drop);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
  }

  torch::Tensor forward(torch::Tensor x) {
    x = torch::relu(torch::max_pool2d(conv1->forward(x), 2));
    if (probes) (*probes)("conv1", x);  // tblog
    x = torch::relu(torch::max_pool2d(conv2_drop->forward(conv2->forward(x)), 2));
    if (probes) (*probes)("conv2", x);  // tblog
    x = torch::relu(fc1->forward(x.view({-1, 320})));
    x = torch::dropout(x, 0.5, is_training());
    return torch::log_softmax(fc2->forward(x), 1);
  }

  torch::nn::Conv2d conv1, conv2;
  torch::nn::Dropout2d conv2_drop;
  torch::nn::Linear fc1, fc2;
  tblog::Probes* probes = nullptr;  // tblog
};
TORCH_MODULE(Net);

constexpr double kMean = 0.1307, kStd = 0.3081;  // of MNIST's training pixels

template <typename Loader>
void train(Net& model, Loader& loader, torch::optim::Optimizer& optimizer, tblog::Training& log,
           int max_batches) {
  model->train();
  int batches = 0;
  for (auto& batch : loader) {
    if (batches++ == max_batches || log.stopped()) break;
    log.batch_begin();  // tblog
    optimizer.zero_grad();
    auto output = model->forward(batch.data);
    auto loss = torch::nll_loss(output, batch.target);
    loss.backward();
    log.before_optimizer_step();  // tblog
    optimizer.step();
    log.batch_end({loss, output, batch.target});  // tblog
  }
}

template <typename Loader>
void test(Net& model, Loader& loader, tblog::Training& log, int max_examples) {
  torch::NoGradGuard no_grad;
  model->eval();
  std::vector<torch::Tensor> outputs, targets, images, inputs;
  std::int64_t seen = 0;
  for (const auto& batch : loader) {
    if (seen >= max_examples) break;
    outputs.push_back(model->forward(batch.data));
    targets.push_back(batch.target);
    images.push_back(batch.data * kStd + kMean);  // the pixels again, for the pictures
    inputs.push_back(batch.data);                 // what the model saw, for the deconvnet
    seen += batch.data.size(0);
  }
  const auto output = torch::cat(outputs), target = torch::cat(targets);
  const double accuracy = output.argmax(1).eq(target).to(torch::kDouble).mean().item<double>();
  std::printf("test accuracy %.4f on %lld images\n", accuracy, static_cast<long long>(seen));
  log.validation_end({output, target, torch::cat(images), {}, torch::cat(inputs)});  // tblog
}

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: %s MNIST_DIR LOGDIR [EPOCHS] [MAX_BATCHES] [TEST_EXAMPLES] [LOG_EVERY] "
                 "[SPLIT]\n",
                 argv[0]);
    return 2;
  }
  const std::string data = argv[1], logdir = argv[2];
  const int epochs = argc > 3 ? std::atoi(argv[3]) : 10;
  const int max_batches = argc > 4 ? std::atoi(argv[4]) : -1;
  const int test_examples = argc > 5 ? std::atoi(argv[5]) : 10000;
  const int log_every = argc > 6 ? std::atoi(argv[6]) : 50;  // steps between training points
  const std::string split = argc > 7 ? argv[7] : "test";     // the validation set's name
  torch::manual_seed(1);
  torch::set_num_threads(1);

  Net model;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01).momentum(0.5));
  auto train_set = torch::data::datasets::MNIST(data)
                       .map(torch::data::transforms::Normalize<>(kMean, kStd))
                       .map(torch::data::transforms::Stack<>());
  auto test_set = torch::data::datasets::MNIST(data, torch::data::datasets::MNIST::Mode::kTest)
                      .map(torch::data::transforms::Normalize<>(kMean, kStd))
                      .map(torch::data::transforms::Stack<>());
  auto train_loader = torch::data::make_data_loader<torch::data::samplers::SequentialSampler>(
      std::move(train_set), 64);
  auto test_loader = torch::data::make_data_loader(std::move(test_set), 1000);

  tblog::SummaryWriter writer(logdir);                                        // tblog
  tblog::Training log(writer, *model, optimizer);                             // tblog
  tblog::StandardPlugins plugins;                                             // tblog
  plugins.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};   // tblog
  plugins.hparams = {{"lr", 0.01}, {"momentum", 0.5}, {"batch_size", 64}};    // tblog
  plugins.log_every = log_every;                                              // tblog
  plugins.split = split;                                                      // tblog
  model->probes = tblog::add_standard_plugins(log, plugins);                  // tblog
  // Zeiler & Fergus's deconvnet and occlusion figures (for a relu, conv-pool-relu = conv-relu-pool)
  tblog::ConvStack convs{{{"conv1", model->conv1->weight, model->conv1->bias, 0},  // tblog
                          {"conv2", model->conv2->weight, model->conv2->bias, 0}},
                         /*relu=*/true};
  auto classify = [&](const torch::Tensor& x) { return model->forward(x); };  // tblog
  log.add<tblog::ConvVisualizations>(convs, classify, plugins.class_names);   // tblog
  log.train_begin();                                                          // tblog
  for (int epoch = 1; epoch <= epochs && !log.stopped(); ++epoch) {
    log.epoch_begin(epoch);  // tblog
    train(model, *train_loader, optimizer, log, max_batches);
    test(model, *test_loader, log, test_examples);
    log.epoch_end();  // tblog
  }
  log.train_end();  // tblog
  return 0;
}
