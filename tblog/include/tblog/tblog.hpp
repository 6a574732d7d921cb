/// @file
/// Everything tblog offers, in one include.
#pragma once

#include "tblog/byte_source.hpp"
#include "tblog/crc32c.hpp"
#include "tblog/error.hpp"
#include "tblog/histogram.hpp"
#include "tblog/hparams.hpp"
#include "tblog/image.hpp"
#include "tblog/layout.hpp"
#include "tblog/reader.hpp"
#include "tblog/record.hpp"
#include "tblog/summary_writer.hpp"
#include "tblog/text.hpp"
#include "tblog/version.hpp"
