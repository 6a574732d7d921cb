# The SONAME's version of libtblog for a release version: before 1.0 every minor release may
# change the ABI, so 0.MINOR (libtblog.so.0.2); from 1.0 on only a major release may, so MAJOR
# (libtblog.so.1). Tested by tests/soversion_test.cmake.
function(tblog_soversion version out)
  string(REGEX MATCH "^([0-9]+)\\.([0-9]+)" matched "${version}")
  if(NOT matched)
    message(FATAL_ERROR "tblog_soversion: '${version}' is not MAJOR.MINOR[.PATCH]")
  endif()
  if(CMAKE_MATCH_1 EQUAL 0)
    set(${out} "0.${CMAKE_MATCH_2}" PARENT_SCOPE)
  else()
    set(${out} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  endif()
endfunction()
