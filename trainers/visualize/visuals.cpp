#include "visuals.hpp"

#include <torch/torch.h>

#include "../data/transforms.hpp"
#include "tblog/remote.hpp"
#include "tblog/torch/plugins.hpp"

namespace trainers {

void add_visuals(tblog::Training& training, const TrainConfig& config, const DataSplit& data,
                 Classifier& model, VisualsSeconds& seconds) {
  training.add<TimedPlugin<tblog::ModelGraph>>(
      seconds, [&model, &data] { return model.graph(data.channels(), data.image_size()); },
      [&model, &config] {
        tblog::ModelLayer layers = model.layers();
        layers.name = config.model.name;  // "lenet5", "lstm": the model's name, not its C++ type's
        return layers;
      });
  // In the background: measured on LeNet5 and the CIFAR-10 subset, that takes 12 ms an epoch
  // (8.6 of them the evolution frame) off the training thread, of a 0.7 s epoch.
  training.add<TimedPlugin<tblog::ClassifierDiagnostics>>(seconds, data.class_names, 16, "test",
                                                          /*in_background=*/true);
  const tblog::ConvStack stack = model.conv_stack();
  if (!stack.layers.empty() || (model.reads_images_spatially() && config.occlusion_images > 0)) {
    tblog::ConvVisualizationOptions options;
    options.top = 9;
    options.searched_images = config.deconv_images;
    options.evolution_images = config.evolution_images;
    options.occlusion_images = config.occlusion_images;
    options.occlusion.size = config.occlusion_size;
    options.occlusion.stride = config.occlusion_stride;
    if (config.occlusion_gray >= 0) {  // that grey level, standardized like the images
      const auto grey =
          torch::full({1, data.channels(), 1, 1}, config.occlusion_gray, torch::kUInt8);
      options.occlusion.fill = Normalizer::fit(data.train)(grey).flatten();
    }
    options.top_each_validation = config.deconv_each_epoch;
    options.in_background = true;
    training.add<TimedPlugin<tblog::ConvVisualizations>>(
        seconds, stack, [&model](const torch::Tensor& x) { return model.forward(x); },
        data.class_names, options);
  }
  // The projector's files cannot go to object storage (docs/remote-storage.md): skipped there.
  if (config.embedding_points > 0 && !tblog::is_remote_path(config.logdir)) {
    training.add<TimedPlugin<tblog::Embeddings>>(
        seconds, data.class_names, config.embedding_points, "test",
        [&model](const torch::Tensor& x) { return model.features(x); });
  }
}

}  // namespace trainers
