package org.refusalscope.io.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a {@code .npy} array (format versions 1, 2 and 3): magic {@code \x93NUMPY}, major/minor version, a
 * header length (2 bytes in v1, 4 bytes in v2/v3), then a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2304, 16384), }} padded to a multiple of 64 bytes.
 *
 * @param descr        numpy dtype string, e.g. {@code <f4}
 * @param fortranOrder true when the data are column-major
 * @param shape        dimensions ({@code ()} = scalar, shape {@code []})
 * @param dataOffset   bytes from the start of the .npy to the first data byte
 */
public record NpyHeader(String descr, boolean fortranOrder, long[] shape, long dataOffset) {

	private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
	/** Enough to hold magic, version and a 4-byte length; the dict follows. */
	public static final int PREFIX = 12;
	private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
	private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
	private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

	/**
	 * Length of the whole header (prefix + dict) from the first {@link #PREFIX} bytes (or fewer, at least 10).
	 *
	 * @param source names the file/entry in error messages
	 */
	public static long headerLength(ByteBuffer prefix, String source) throws IOException {
		ByteBuffer data = prefix.duplicate().order(ByteOrder.LITTLE_ENDIAN);
		if(data.remaining() < 10) {
			throw new IOException(source + ": not a .npy array (shorter than its header)");
		}
		int start = data.position();
		for(int i = 0; i < MAGIC.length; i++) {
			if(data.get(start + i) != MAGIC[i]) {
				throw new IOException(source + ": not a .npy array (bad magic)");
			}
		}
		int major = data.get(start + 6) & 0xff;
		return switch(major) {
			case 1 -> 10L + (data.getShort(start + 8) & 0xffff);
			case 2, 3 -> {
				if(data.remaining() < 12) {
					throw new IOException(source + ": truncated .npy v" + major + " header");
				}
				yield 12L + (data.getInt(start + 8) & 0xffffffffL);
			}
			default -> throw new IOException(source + ": unsupported .npy format version " + major);
		};
	}

	/** Parses the full header (prefix and dict); {@code header} holds exactly {@link #headerLength} bytes. */
	public static NpyHeader parse(ByteBuffer header, String source) throws IOException {
		long length = headerLength(header, source);
		if(header.remaining() < length) {
			throw new IOException(source + ": truncated .npy header");
		}
		int major = header.get(header.position() + 6) & 0xff;
		int dictStart = major == 1 ? 10 : 12;
		byte[] dictBytes = new byte[(int) length - dictStart];
		header.duplicate().position(header.position() + dictStart).get(dictBytes);
		// v3 allows UTF-8 in the dict (structured field names); v1/v2 are latin-1, a subset for what we read
		String dict = new String(dictBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
		Matcher descr = DESCR.matcher(dict);
		Matcher fortran = FORTRAN.matcher(dict);
		Matcher shape = SHAPE.matcher(dict);
		if(!descr.find() || !fortran.find() || !shape.find()) {
			throw new IOException(source + ": .npy header is not a simple array header: " + dict.trim());
		}
		List<Long> dims = new ArrayList<>();
		for(String part : shape.group(1).split(",")) {
			String trimmed = part.trim();
			if(!trimmed.isEmpty()) {
				try {
					dims.add(Long.parseLong(trimmed.endsWith("L") ? trimmed.substring(0, trimmed.length() - 1) : trimmed));
				} catch(NumberFormatException e) {
					throw new IOException(source + ": bad shape in .npy header: (" + shape.group(1) + ")", e);
				}
			}
		}
		long[] dimensions = dims.stream().mapToLong(Long::longValue).toArray();
		return new NpyHeader(descr.group(1), fortran.group(1).equals("True"), dimensions, length);
	}

	public long elementCount() {
		long count = 1;
		for(long dim : shape) {
			count *= dim;
		}
		return count;
	}

	/** Bytes per element of the dtypes we read, or fails naming the source and dtype. */
	public int elementSize(String source) throws IOException {
		return switch(descr) {
			case "<f4", "=f4" -> 4;
			case "<f2", "=f2" -> 2;
			case "<f8", "=f8" -> 8;
			default -> throw new IOException(source + ": unsupported .npy dtype '" + descr
					+ "' (supported: little-endian float32 <f4, float16 <f2, float64 <f8)");
		};
	}

	/** Serialises a v1 header (v2 when the dict does not fit v1's 16-bit length), padded to 64 bytes as numpy does. */
	public static byte[] write(String descr, long[] shape) {
		StringBuilder dims = new StringBuilder();
		for(int i = 0; i < shape.length; i++) {
			dims.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
		}
		String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
		int prefix = 10;
		int total = ((prefix + dict.length() + 1) + 63) / 64 * 64;
		boolean v2 = total - prefix > 0xffff;
		if(v2) {
			prefix = 12;
			total = ((prefix + dict.length() + 1) + 63) / 64 * 64;
		}
		ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
		out.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
		if(v2) {
			out.putInt(total - prefix);
		} else {
			out.putShort((short) (total - prefix));
		}
		out.put(dict.getBytes(StandardCharsets.ISO_8859_1));
		while(out.position() < total - 1) {
			out.put((byte) ' ');
		}
		out.put((byte) '\n');
		return out.array();
	}
}
