package org.refusalscope.io.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.refusalscope.io.files.AtomicWrite;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Writes safetensors files (used for trained models and SAEs, and by tests to build tiny checkpoints). Tensors are
 * stored as F32, or as BF16 (round-to-nearest-even) or F16 on request. The file appears atomically.
 */
public final class SafetensorsWriter {

	private record Pending(String dtype, long[] shape, float[] values) {
	}

	private final Map<String, Pending> tensors = new LinkedHashMap<>();
	private final Map<String, String> metadata = new LinkedHashMap<>();

	public SafetensorsWriter add(String name, long[] shape, float[] values) {
		return add(name, shape, values, "F32");
	}

	public SafetensorsWriter add(String name, long[] shape, float[] values, String dtype) {
		long count = 1;
		for(long dim : shape) {
			count *= dim;
		}
		if(count != values.length) {
			throw new IllegalArgumentException("tensor " + name + ": shape holds " + count + " values, got " + values.length);
		}
		if(!dtype.equals("F32") && !dtype.equals("BF16") && !dtype.equals("F16")) {
			throw new IllegalArgumentException("unsupported dtype " + dtype);
		}
		tensors.put(name, new Pending(dtype, shape.clone(), values));
		return this;
	}

	public SafetensorsWriter metadata(String key, String value) {
		metadata.put(key, value);
		return this;
	}

	public void write(Path file) throws IOException {
		JsonObject header = new JsonObject();
		if(!metadata.isEmpty()) {
			JsonObject meta = new JsonObject();
			metadata.forEach(meta::addProperty);
			header.add("__metadata__", meta);
		}
		long offset = 0;
		for(Map.Entry<String, Pending> entry : tensors.entrySet()) {
			Pending tensor = entry.getValue();
			long bytes = (long) tensor.values().length * (tensor.dtype().equals("F32") ? 4 : 2);
			JsonObject info = new JsonObject();
			info.addProperty("dtype", tensor.dtype());
			JsonArray shape = new JsonArray();
			for(long dim : tensor.shape()) {
				shape.add(dim);
			}
			info.add("shape", shape);
			JsonArray offsets = new JsonArray();
			offsets.add(offset);
			offsets.add(offset + bytes);
			info.add("data_offsets", offsets);
			header.add(entry.getKey(), info);
			offset += bytes;
		}
		byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
		int padded = (headerBytes.length + 7) / 8 * 8; // 8-byte alignment of the data, as the reference writer does
		AtomicWrite.replace(file, temp -> {
			try(OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temp), 1 << 20)) {
				ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
				out.write(length.array());
				out.write(headerBytes);
				for(int i = headerBytes.length; i < padded; i++) {
					out.write(' ');
				}
				for(Pending tensor : tensors.values()) {
					writeValues(out, tensor);
				}
			}
		});
	}

	private static void writeValues(OutputStream out, Pending tensor) throws IOException {
		int width = tensor.dtype().equals("F32") ? 4 : 2;
		ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		for(float value : tensor.values()) {
			if(chunk.remaining() < width) {
				out.write(chunk.array(), 0, chunk.position());
				chunk.clear();
			}
			switch(tensor.dtype()) {
				case "F32" -> chunk.putFloat(value);
				case "BF16" -> chunk.putShort(toBfloat16(value));
				default -> chunk.putShort(Float.floatToFloat16(value));
			}
		}
		out.write(chunk.array(), 0, chunk.position());
	}

	/** float -> bfloat16 bits with round-to-nearest-even, NaN kept NaN. */
	public static short toBfloat16(float value) {
		int bits = Float.floatToRawIntBits(value);
		if(Float.isNaN(value)) {
			return (short) ((bits >>> 16) | 0x40);
		}
		int rounding = 0x7fff + ((bits >>> 16) & 1);
		return (short) ((bits + rounding) >>> 16);
	}
}
