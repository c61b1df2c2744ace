package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

import org.refusalscope.io.files.AtomicWrite;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * Streams one safetensors shard of BF16 tensors whose values are tiled from a pool of random values converted to
 * bf16 once ({@link SafetensorsWriter#toBfloat16}). {@link SafetensorsWriter} converts value by value from a float
 * array held in the heap, which wrote about 2 MB/s on the shared 2-core machine: hours for the 16 GB Llama shape.
 * Here only the 32 MB pool is in memory and the data goes to the file in large slices. Same layout as
 * SafetensorsWriter (8-byte little-endian header length, JSON header padded with spaces to 8 bytes, data).
 */
final class Bf16ShardWriter {

	private final ByteBuffer pool;
	private final Map<String, long[]> tensors = new LinkedHashMap<>();
	private final Map<String, Integer> salts = new LinkedHashMap<>();
	private final Map<String, Float> constants = new LinkedHashMap<>();

	Bf16ShardWriter(ByteBuffer bf16Pool) {
		this.pool = bf16Pool;
	}

	/** The random values as bf16 bytes, converted once for all shards. */
	static ByteBuffer pool(float[] values) {
		ByteBuffer pool = ByteBuffer.allocateDirect(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
		for(float value : values) {
			pool.putShort(SafetensorsWriter.toBfloat16(value));
		}
		return pool.flip();
	}

	/** A tensor tiled from the pool starting at a position derived from {@code salt}. */
	void random(String name, long[] shape, int salt) {
		tensors.put(name, shape.clone());
		salts.put(name, salt);
	}

	/** A tensor filled with one value (norm weights). */
	void constant(String name, long[] shape, float value) {
		tensors.put(name, shape.clone());
		constants.put(name, value);
	}

	Iterable<String> names() {
		return tensors.keySet();
	}

	void write(Path file) throws IOException {
		JsonObject header = new JsonObject();
		JsonObject meta = new JsonObject();
		meta.addProperty("format", "pt");
		header.add("__metadata__", meta);
		long offset = 0;
		for(Map.Entry<String, long[]> entry : tensors.entrySet()) {
			long bytes = count(entry.getValue()) * 2;
			JsonObject info = new JsonObject();
			info.addProperty("dtype", "BF16");
			JsonArray shape = new JsonArray();
			for(long dim : entry.getValue()) {
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
		byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
		int padded = (json.length + 7) / 8 * 8;
		ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
		head.putLong(padded).put(json);
		while(head.hasRemaining()) {
			head.put((byte) ' ');
		}
		head.flip();
		AtomicWrite.replace(file, temp -> {
			try(FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
				writeFully(channel, head);
				for(Map.Entry<String, long[]> entry : tensors.entrySet()) {
					long bytes = count(entry.getValue()) * 2;
					if(constants.containsKey(entry.getKey())) {
						writeConstant(channel, bytes, constants.get(entry.getKey()));
					} else {
						writeTiled(channel, bytes, salts.get(entry.getKey()));
					}
				}
			}
		});
	}

	private void writeTiled(FileChannel channel, long bytes, int salt) throws IOException {
		int size = pool.capacity();
		// an even start (whole bf16 values) that differs per tensor
		int start = (int) ((salt * 2654435761L) % (size / 2)) * 2;
		long left = bytes;
		int position = start;
		while(left > 0) {
			int n = (int) Math.min(left, size - position);
			ByteBuffer slice = pool.duplicate();
			slice.position(position).limit(position + n);
			writeFully(channel, slice);
			left -= n;
			position = (position + n + 8198) % size & ~1;
		}
	}

	private static void writeConstant(FileChannel channel, long bytes, float value) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
		short bits = SafetensorsWriter.toBfloat16(value);
		while(buffer.hasRemaining()) {
			buffer.putShort(bits);
		}
		buffer.flip();
		writeFully(channel, buffer);
	}

	private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
		while(buffer.hasRemaining()) {
			channel.write(buffer);
		}
	}

	private static long count(long[] shape) {
		long count = 1;
		for(long dim : shape) {
			count *= dim;
		}
		return count;
	}
}
