#!/usr/bin/env python3
"""Writes hand-made hostile event files, each in a run directory of its own, plus expectations.tsv.

Each file is what a hostile or careless writer could produce: framing that lies about lengths,
summaries that contradict themselves, shapes that claim more than is stored. The protobuf wire
format is encoded here by hand (no generated code), so these files do not share tblog's encoder's
assumptions. Usage: make_hostile_corpus.py OUTDIR
"""
import os
import struct
import sys

# ---- CRC-32C and TFRecord framing ----------------------------------------------------------
_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    _TABLE.append(c)


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def header(length):
    head = struct.pack("<Q", length)
    return head + struct.pack("<I", masked(head))


def record(payload):
    return header(len(payload)) + payload + struct.pack("<I", masked(payload))


# ---- protobuf wire format --------------------------------------------------------------------
def varint(n):
    n &= (1 << 64) - 1  # negative int64 as two's complement, as protobuf does
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value)


def field_bytes(number, data):
    if isinstance(data, str):
        data = data.encode()
    return varint((number << 3) | 2) + varint(len(data)) + data


def field_double(number, value):
    return varint((number << 3) | 1) + struct.pack("<d", value)


def field_float(number, value):
    return varint((number << 3) | 5) + struct.pack("<f", value)


def packed_floats(number, values):
    return field_bytes(number, b"".join(struct.pack("<f", v) for v in values))


def packed_doubles(number, values):
    return field_bytes(number, b"".join(struct.pack("<d", v) for v in values))


DT_FLOAT, DT_STRING = 1, 7


def shape(*dims):
    return field_bytes(2, b"".join(field_bytes(2, field_varint(1, d)) for d in dims))


def tensor(dtype, dims, body=b""):
    return field_bytes(8, field_varint(1, dtype) + shape(*dims) + body)


def metadata(plugin):
    return field_bytes(9, field_bytes(1, field_bytes(1, plugin)))


def value(tag, *parts):
    return field_bytes(1, field_bytes(1, tag) + b"".join(parts))


def event(step, *values):
    body = field_double(1, 1700000000.0 + step) + field_varint(2, step)
    if values:
        body += field_bytes(5, b"".join(values))
    return body


FILE_VERSION = field_double(1, 1700000000.0) + field_bytes(3, "brain.Event:2")


def good_scalar(step, x=0.5):
    return record(event(step, value("ok", metadata("scalars"),
                                    tensor(DT_FLOAT, [], packed_floats(5, [x])))))


def events_file(*records):
    return record(FILE_VERSION) + good_scalar(0) + b"".join(records)


# ---- the corpus: name -> (bytes, verify exit code, message the reader must give) ------------
# A corrupt event is always at step 1, except where a case says otherwise (BAD_STEP).
BAD_STEP = {"value_inherits_histogram_plugin": 2}

def corpus():
    histo = lambda limits, buckets: field_bytes(5, field_double(1, -1) + field_double(2, 1) +
                                                packed_doubles(6, limits) +
                                                packed_doubles(7, buckets))
    one = lambda *values: events_file(record(event(1, *values)))  # a file with one bad event
    hist = lambda dims, body: value("h", metadata("histograms"), tensor(DT_FLOAT, dims, body))
    cases = {}
    cases["legacy_histogram_no_limits"] = (
        one(value("h", histo([], [1, 2, 3, 4, 5]))), 1, "5 buckets but 0 bucket limits")
    cases["legacy_histogram_fewer_limits"] = (
        one(value("h", histo([0.5, 0.7], [1, 2, 3, 4, 5]))), 1, "5 buckets but 2 bucket limits")
    cases["histogram_tensor_short_of_its_shape"] = (
        one(hist([10, 3], packed_floats(5, [0, 1, 2, 1, 2, 3]))), 1,
        "holds 30 values but 6 are stored")
    cases["histogram_content_short_of_its_shape"] = (
        one(hist([4, 3], field_bytes(4, b"\0" * 20))), 1, "20 content bytes")
    cases["value_inherits_histogram_plugin"] = (
        events_file(record(event(1, hist([1, 3], packed_floats(5, [0, 1, 5])))),
                    record(event(2, value("h", tensor(DT_FLOAT, [], packed_floats(5, [7.0])))))),
        1, "not of shape [k, 3]")
    cases["shape_claims_billions_of_rows"] = (
        one(hist([4_000_000_000, 3], packed_floats(5, [1.0]))), 1, "stores one value for many")
    cases["shape_product_overflows_int64"] = (
        one(hist([1 << 40, 1 << 40, 3], packed_floats(5, [1.0]))), 1, "tensor shape overflows")
    cases["negative_dimension"] = (
        one(hist([-1, 3], packed_floats(5, [1.0]))), 1, "dimension of size -1")
    cases["scalar_with_no_value"] = (
        one(value("s", metadata("scalars"), tensor(DT_FLOAT, []))), 1,
        "holds 1 values but 0 are stored")
    cases["scalar_of_strings"] = (
        one(value("s", metadata("scalars"), tensor(DT_STRING, [], field_bytes(8, "x")))), 1,
        "unsupported dtype 7")
    cases["image_without_dimensions"] = (
        one(value("i", metadata("images"), tensor(DT_STRING, [1], field_bytes(8, "abc")))), 1,
        "image tensor without width and height")
    cases["image_with_text_dimensions"] = (
        one(value("i", metadata("images"),
                  tensor(DT_STRING, [3], field_bytes(8, "wide") + field_bytes(8, "tall") +
                         field_bytes(8, "png")))), 1, "not numbers")
    cases["payload_is_not_an_event"] = (
        events_file(record(b"\xff\xff\xff\xff\xff")), 1, "not a valid Event")
    cases["length_of_3GiB_then_a_valid_record"] = (
        events_file(header(3 << 30) + b"junk" * 8, good_scalar(5)),
        1, "runs past the end of the file (a valid record follows at byte offset")
    cases["length_of_4GiB_at_the_end"] = (
        events_file(header((4 << 30) - 1) + b"partial"), 0, "")  # a torn tail: exit 0, 2 --strict
    cases["length_crc_mismatch"] = (
        events_file(struct.pack("<Q", 40) + b"\0\0\0\0" + b"x" * 44, good_scalar(6)),
        1, "record length CRC mismatch")
    # Quadratic bait: thousands of valid headers, each claiming a payload that runs almost to the
    # end of the file but whose data CRC is wrong; a scan that re-reads each payload takes
    # O(n^2). A valid record closes the file.
    n = 20000
    bait = bytearray()
    for i in range(n):
        remaining = (n - i) * 12 - 12 + 4
        bait += header(remaining)
    cases["many_headers_claiming_long_payloads"] = (
        events_file(bytes(bait) + b"\0" * 4, good_scalar(7)), 1, "record data CRC mismatch")
    cases["empty_file"] = (b"", 0, "")
    cases["only_file_version"] = (record(FILE_VERSION), 0, "")
    return cases


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "expectations.tsv"), "w") as manifest:
        for name, (data, verify_exit, message) in sorted(corpus().items()):
            os.makedirs(os.path.join(out, name), exist_ok=True)
            path = os.path.join(out, name, "events.out.tfevents.0.hostile." + name)
            with open(path, "wb") as f:
                f.write(data)
            bad_step = BAD_STEP.get(name, 1)
            manifest.write(f"{name}\t{path}\t{verify_exit}\t{message}\t{bad_step}\n")


if __name__ == "__main__":
    main()
