// TensorBoard's TensorBoardDataProvider gRPC service over a LogdirLoader: every method, with the
// meaning TensorBoard's own data server gives them (filters: missing = all, empty = none; series
// without points left out of List*; Read* downsampled to num_points, always keeping the newest
// point; blobs streamed by URL-safe keys). Internal to tblog-data-server.
#pragma once

#include "logdir_loader.hpp"
#include "tblog/data_provider.grpc.pb.h"

namespace tblog::serve {

class DataProviderService final : public tensorboard::data::TensorBoardDataProvider::Service {
 public:
  explicit DataProviderService(const LogdirLoader& logdir) : logdir_(logdir) {}

  grpc::Status GetExperiment(grpc::ServerContext*, const tensorboard::data::GetExperimentRequest*,
                             tensorboard::data::GetExperimentResponse*) override;
  grpc::Status ListPlugins(grpc::ServerContext*, const tensorboard::data::ListPluginsRequest*,
                           tensorboard::data::ListPluginsResponse*) override;
  grpc::Status ListRuns(grpc::ServerContext*, const tensorboard::data::ListRunsRequest*,
                        tensorboard::data::ListRunsResponse*) override;
  grpc::Status ListScalars(grpc::ServerContext*, const tensorboard::data::ListScalarsRequest*,
                           tensorboard::data::ListScalarsResponse*) override;
  grpc::Status ReadScalars(grpc::ServerContext*, const tensorboard::data::ReadScalarsRequest*,
                           tensorboard::data::ReadScalarsResponse*) override;
  grpc::Status ListTensors(grpc::ServerContext*, const tensorboard::data::ListTensorsRequest*,
                           tensorboard::data::ListTensorsResponse*) override;
  grpc::Status ReadTensors(grpc::ServerContext*, const tensorboard::data::ReadTensorsRequest*,
                           tensorboard::data::ReadTensorsResponse*) override;
  grpc::Status ListBlobSequences(grpc::ServerContext*,
                                 const tensorboard::data::ListBlobSequencesRequest*,
                                 tensorboard::data::ListBlobSequencesResponse*) override;
  grpc::Status ReadBlobSequences(grpc::ServerContext*,
                                 const tensorboard::data::ReadBlobSequencesRequest*,
                                 tensorboard::data::ReadBlobSequencesResponse*) override;
  grpc::Status ReadBlob(grpc::ServerContext*, const tensorboard::data::ReadBlobRequest*,
                        grpc::ServerWriter<tensorboard::data::ReadBlobResponse>*) override;

 private:
  const LogdirLoader& logdir_;
};

}  // namespace tblog::serve
