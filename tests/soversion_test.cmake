# cmake -P tests/soversion_test.cmake: the SONAME rule (cmake/tblog_soversion.cmake) for releases
# before and after 1.0.
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/tblog_soversion.cmake)
foreach(pair "0.2.0=0.2" "0.9.3=0.9" "0.10.0=0.10" "1.0.0=1" "1.4.2=1" "2.0.0=2" "10.1=10")
  string(REPLACE "=" ";" pair "${pair}")
  list(GET pair 0 version)
  list(GET pair 1 expected)
  tblog_soversion(${version} got)
  if(NOT got STREQUAL expected)
    message(FATAL_ERROR "tblog_soversion(${version}) = ${got}, expected ${expected}")
  endif()
endforeach()
message(STATUS "tblog_soversion: 7 versions as expected")
