#include <gtest/gtest.h>

#include <torch/torch.h>
#include "usage_error.hpp"

#include "loop/config_check.hpp"
#include "models/classifier.hpp"

namespace trainers {
namespace {

TEST(Models, LeNet5ShapesForColourAndGrayInput) {
  for (auto [channels, size] : {std::pair{3, 32}, std::pair{1, 28}}) {
    ModelConfig c;
    c.name = "lenet5";
    c.in_channels = channels;
    c.image_size = size;
    c.values["--fc1"] = 1024;
    auto m = make_model(c);
    const auto x = torch::randn({4, channels, size, size});
    EXPECT_EQ(m->forward(x).sizes(), (std::vector<std::int64_t>{4, 10}));
    EXPECT_EQ(m->first_layer_filters().sizes(), (std::vector<std::int64_t>{6, channels, 5, 5}));
    const auto acts = m->conv_activations(x);
    ASSERT_EQ(acts.size(), 2u);
    EXPECT_EQ(acts[0].second.size(1), 6);
    EXPECT_EQ(acts[1].second.size(1), 16);
    const auto params = m->summarized_parameters();
    EXPECT_EQ(params.front().first, "W1");
    EXPECT_EQ(params[4].second.sizes(), (std::vector<std::int64_t>{1024, 400}));  // fc 400-1024
  }
}

TEST(Models, RecurrentCellsShareParameterNames) {
  std::vector<std::string> names_of_first;
  for (const std::string cell : {"rnn", "lstm", "gru"}) {
    ModelConfig c;
    c.name = "recurrent";
    c.values["--cell"] = cell;
    c.values["--hidden"] = 16;
    c.values["--layers"] = 2;
    auto m = make_model(c);
    EXPECT_EQ(m->forward(torch::randn({3, 1, 28, 28})).sizes(), (std::vector<std::int64_t>{3, 10}));
    std::vector<std::string> names;
    for (const auto& [name, t] : m->summarized_parameters()) names.push_back(name);
    if (names_of_first.empty()) names_of_first = names;
    EXPECT_EQ(names, names_of_first) << cell;  // same tags: runs overlay in one chart
    EXPECT_FALSE(m->first_layer_filters().defined());
  }
  EXPECT_NE(std::find(names_of_first.begin(), names_of_first.end(), "weight_hh_l1"),
            names_of_first.end());
}

TEST(Models, UnknownNamesAndOptionsAreRejected) {
  ModelConfig c;
  c.name = "resnet";
  EXPECT_THROW(make_model(c), std::invalid_argument);
  c.name = "lenet5";
  c.values["--activation"] = std::string("sigmoid");
  EXPECT_THROW(make_model(c), std::invalid_argument);
  c.name = "recurrent";
  c.values["--cell"] = std::string("transformer");
  EXPECT_THROW(make_model(c), std::invalid_argument);
}

// What the loop and HParams know of each registered model comes from its registry entry: every
// model describes itself completely, and checks its own settings naming the option.
TEST(Registry, EveryModelStatesItsFactsAndItsOptionsAreChecked) {
  for (const auto& name : model_names()) {
    if (name == "scripted") continue;  // a file's facts: scripted_model_test.cpp
    ModelConfig c;
    c.name = name;
    const ModelFacts facts = model_facts(c);
    EXPECT_FALSE(facts.label.empty()) << name;
    EXPECT_GT(facts.hidden_units, 0) << name;
    EXPECT_GT(facts.layers, 0) << name;
    EXPECT_FALSE(facts.activation.empty()) << name;
    const ModelEntry& entry = model_entry(name);
    if (entry.check) {
      EXPECT_NO_THROW(entry.check(c)) << name;
    }
    // Its presets and defaults name options its runs have, with values they take.
    TrainConfig run;
    run.model = c;
    if (entry.best) {
      for (const auto& [option, text] : entry.best(c))
        EXPECT_NO_THROW(set_option(run, option, text));
    }
    for (const auto& [option, text] : entry.defaults)
      EXPECT_NO_THROW(set_option(run, option, text));
    EXPECT_NO_THROW(check_config(run)) << name;
    EXPECT_FALSE(entry.command.empty() || entry.about.empty()) << name;
  }
  // The models' options are checked with every other setting (loop/settings.cpp).
  TrainConfig bad;
  bad.model.name = "lenet5";
  set_option(bad, "--fc1", "0");
  EXPECT_THROW(check_config(bad), UsageError);
  bad = TrainConfig{};
  bad.model.name = "recurrent";
  set_option(bad, "--cell", "transformer");
  EXPECT_THROW(check_config(bad), UsageError);
  EXPECT_THROW(model_entry("resnet"), UsageError);
}

}  // namespace
}  // namespace trainers
