# Debian packages from CPack (`cpack -G DEB` in a build directory), one per install component:
#   libtblog<SOVERSION>  the shared library only (runtime component);
#   libtblog-dev         headers, the libtblog.so link, CMake package and pkg-config file;
#   tblog-tools          the `tblog` tool (ls, cat, verify, export).
# Meant for a shared build (-DBUILD_SHARED_LIBS=ON) without LibTorch; scripts/test_debian_packages.sh
# builds them, unpacks them and builds an unrelated program against them.
#
# The runtime package is named from the SONAME, as Debian policy 8.1 asks (libtblog.so.0.2 ->
# libtblog0.2; libtblog.so.1 -> libtblog1 from 1.0 on), so that two ABIs can be installed side
# by side; the rule is cmake/tblog_soversion.cmake's.
set(CPACK_PACKAGE_NAME tblog)
set(CPACK_PACKAGE_VENDOR "tblog")
set(CPACK_PACKAGE_CONTACT "tblog maintainers <tblog@localhost>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "TensorBoard event files from C++")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://localhost/tblog")
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL runtime development tools)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION libs)
# dpkg-shlibdeps computes each package's library dependencies (libprotobuf, libdeflate, libgif,
# libre2...) from the binaries, as a Debian maintainer's ${shlibs:Depends} would.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Where dpkg-shlibdeps finds libtblog itself while the tool is packaged; the dependency on the
# runtime package is then written out below (shlibdeps cannot know which package holds it).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${PROJECT_BINARY_DIR}/tblog)

set(TBLOG_DEB_RUNTIME "libtblog${TBLOG_SOVERSION}")
set(TBLOG_DEB_EXACT "${TBLOG_DEB_RUNTIME} (= ${PROJECT_VERSION})")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ${TBLOG_DEB_RUNTIME})
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION libs)
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
    "TensorBoard event files from C++: shared library\n tblog writes and reads TensorBoard event files (every dashboard) from C++ without\n TensorFlow, Python or LibTorch.")
# Lets dpkg-shlibdeps of other packages resolve libtblog to this package.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libtblog-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${TBLOG_DEB_EXACT}")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
    "TensorBoard event files from C++: development files\n Headers, CMake package (find_package(tblog)) and pkg-config file (tblog) of libtblog.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME tblog-tools)
set(CPACK_DEBIAN_TOOLS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_TOOLS_PACKAGE_DEPENDS "${TBLOG_DEB_EXACT}")
set(CPACK_COMPONENT_TOOLS_DESCRIPTION
    "TensorBoard event files from C++: the tblog tool\n tblog ls, cat, verify and export read TensorBoard logdirs (CSV, JSON) and check them.")

include(CPack)
