# Debian's packages stand in for tblog's dependencies (apt-get install libprotobuf-dev
# protobuf-compiler libdeflate-dev libgif-dev zlib1g-dev
# libcurl4-openssl-dev): Conan resolves these references to
# the platform instead of building or downloading them. The versions are bookworm's.
include(default)

[platform_requires]
protobuf/3.21.12
libdeflate/1.14
giflib/5.2.1
zlib/1.2.13
libcurl/7.88.1
