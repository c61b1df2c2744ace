package org.refusalscope.io.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.refusalscope.io.files.AtomicWrite;

/**
 * Writes {@code .npy} arrays and {@code .npz} archives as numpy does (C order, v1 headers, little endian), stored
 * like {@code numpy.savez} or deflated like {@code savez_compressed}. Used by tests to build Gemma Scope style
 * {@code params.npz} files and by tools exporting arrays. The file appears atomically.
 */
public final class NpzWriter {

	private final Map<String, byte[]> arrays = new LinkedHashMap<>();

	/** float32 array. */
	public NpzWriter add(String name, long[] shape, float[] values) {
		ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		data.asFloatBuffer().put(values);
		return addRaw(name, npy("<f4", shape, data.array(), values.length));
	}

	/** float64 array. */
	public NpzWriter add(String name, long[] shape, double[] values) {
		ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
		data.asDoubleBuffer().put(values);
		return addRaw(name, npy("<f8", shape, data.array(), values.length));
	}

	/** float16 array (values rounded to half precision). */
	public NpzWriter addHalf(String name, long[] shape, float[] values) {
		ByteBuffer data = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
		for(float value : values) {
			data.putShort(Float.floatToFloat16(value));
		}
		return addRaw(name, npy("<f2", shape, data.array(), values.length));
	}

	/** A complete .npy byte image (header and data), e.g. one a test built with a v2/v3 header. */
	public NpzWriter addRaw(String name, byte[] npyBytes) {
		arrays.put(name, npyBytes);
		return this;
	}

	/** The .npy bytes of an array: header for {@code descr} and {@code shape}, then {@code data}. */
	public static byte[] npy(String descr, long[] shape, byte[] data, long count) {
		long expected = 1;
		for(long dim : shape) {
			expected *= dim;
		}
		if(expected != count) {
			throw new IllegalArgumentException("shape holds " + expected + " values, got " + count);
		}
		byte[] header = NpyHeader.write(descr, shape);
		byte[] out = new byte[header.length + data.length];
		System.arraycopy(header, 0, out, 0, header.length);
		System.arraycopy(data, 0, out, header.length, data.length);
		return out;
	}

	public void write(Path file, boolean compressed) throws IOException {
		AtomicWrite.replace(file, temp -> {
			try(OutputStream raw = Files.newOutputStream(temp); ZipOutputStream zip = new ZipOutputStream(raw)) {
				for(Map.Entry<String, byte[]> array : arrays.entrySet()) {
					ZipEntry entry = new ZipEntry(array.getKey() + ".npy");
					byte[] bytes = array.getValue();
					if(compressed) {
						entry.setMethod(ZipEntry.DEFLATED);
					} else {
						CRC32 crc = new CRC32();
						crc.update(bytes);
						entry.setMethod(ZipEntry.STORED);
						entry.setSize(bytes.length);
						entry.setCompressedSize(bytes.length);
						entry.setCrc(crc.getValue());
					}
					zip.putNextEntry(entry);
					zip.write(bytes);
					zip.closeEntry();
				}
			}
		});
	}

	/** Writes one float32 {@code .npy} file. */
	public static void writeNpy(Path file, long[] shape, float[] values) throws IOException {
		ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		data.asFloatBuffer().put(values);
		Files.write(file, npy("<f4", shape, data.array(), values.length));
	}
}
