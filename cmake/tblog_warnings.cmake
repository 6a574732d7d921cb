# One warning policy for every target of the project. TBLOG_WERROR (CI turns it on) makes
# warnings errors; dependency headers (LibTorch, protobuf, GoogleTest) are system includes and
# stay quiet.
option(TBLOG_WERROR "Treat compiler warnings as errors" OFF)

function(tblog_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
    -Wimplicit-fallthrough -Wmissing-declarations
    # tblog's option structs are meant to be brace-initialised in part ({"tag"}, {{edges}}).
    -Wno-missing-field-initializers
    $<$<BOOL:${TBLOG_WERROR}>:-Werror>)
endfunction()
