"""Conan 2 recipe of tblog (the library; `conan create .` builds and packages it).

tblog's dependencies are the platform's (Debian: libprotobuf-dev, protobuf-compiler,
libdeflate-dev, libgif-dev, libcurl4-openssl-dev): a profile declares them in [platform_requires] (packaging/conan/
debian.profile), so `conan create` works offline and links what the system ships instead of
building protobuf from source. scripts/test_conan.sh runs it and builds an unrelated consumer
with CMakeDeps and CMakeToolchain.
"""
import os
import re

from conan import ConanFile
from conan.tools.cmake import CMake, CMakeDeps, CMakeToolchain, cmake_layout
from conan.tools.files import load


class TblogConan(ConanFile):
    name = "tblog"
    description = "TensorBoard event files from C++, without TensorFlow, Python or LibTorch"
    license = "Apache-2.0"
    topics = ("tensorboard", "logging", "machine-learning")
    settings = "os", "compiler", "build_type", "arch"
    options = {"shared": [True, False], "fPIC": [True, False]}
    default_options = {"shared": False, "fPIC": True}
    exports_sources = ("CMakeLists.txt", "LICENSE", "cmake/*", "proto/*", "tblog/CMakeLists.txt",
                       "tblog/include/*", "tblog/src/*")

    def set_version(self):
        # One version, CMakeLists.txt's project(); the recipe never carries its own.
        text = load(self, os.path.join(self.recipe_folder, "CMakeLists.txt"))
        self.version = re.search(r"project\(tblog VERSION ([0-9.]+)", text).group(1)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def requirements(self):
        # Private to libtblog (no public header includes them), so not visible to consumers'
        # compilers; a static libtblog still needs them at link time (package_info).
        self.requires("protobuf/3.21.12", visible=False)
        self.requires("libdeflate/1.14", visible=False)
        self.requires("giflib/5.2.1", visible=False)
        # s3:// logdirs (docs/remote-storage.md): Debian's libcurl signs AWS SigV4 itself.
        self.requires("libcurl/7.88.1", visible=False)

    def layout(self):
        cmake_layout(self)

    def generate(self):
        toolchain = CMakeToolchain(self)
        # The library only: no tool, data server, tests, benchmarks, LibTorch layer or trainers.
        for option in ("CLI", "TESTS", "BENCH", "TORCH", "TRAINERS"):
            toolchain.cache_variables[f"TBLOG_BUILD_{option}"] = False
        toolchain.cache_variables["TBLOG_WITH_SERVER"] = "OFF"
        toolchain.cache_variables["TBLOG_INSTALL"] = True
        toolchain.generate()
        CMakeDeps(self).generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        CMake(self).install()

    def package_info(self):
        # Consumers write find_package(tblog) and link tblog::tblog, as with the installed package.
        self.cpp_info.set_property("cmake_file_name", "tblog")
        self.cpp_info.set_property("cmake_target_name", "tblog::tblog")
        self.cpp_info.set_property("pkg_config_name", "tblog")
        self.cpp_info.libs = ["tblog"]
        self.cpp_info.system_libs = ["pthread"]
        if not self.options.shared:
            # The platform's libraries, which [platform_requires] leaves without package info.
            self.cpp_info.system_libs = ["protobuf", "deflate", "gif", "curl", "pthread"]
