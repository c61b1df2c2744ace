package org.refusalscope.io.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.refusalscope.api.TensorView;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * A memory-mapped safetensors file: 8-byte little-endian header length, a JSON header
 * {@code {name: {dtype, shape, data_offsets}}} with optional {@code __metadata__}, then the raw data. Tensors are
 * returned as {@link TensorView}s over the mapping, so nothing is copied or inflated (a 16 GB bf16 checkpoint
 * stays 16 GB of page cache, not 32 GB of heap). Written here rather than taken from a library because no
 * maintained safetensors reader for Java is on Maven Central; the format is a page long.
 */
public final class SafetensorsFile {

	private static final long MAX_HEADER = 100L * 1024 * 1024;
	/** A single MappedByteBuffer addresses at most 2 GiB, so large files are mapped in windows. */
	private static final long WINDOW = Integer.MAX_VALUE;

	private final Path path;
	private final Map<String, Entry> entries;
	private final Map<String, String> metadata;
	private final FileChannel channel;
	private final long dataStart;

	private record Entry(String dtype, long[] shape, long begin, long end) {
	}

	private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, Entry> entries,
			Map<String, String> metadata) {
		this.path = path;
		this.channel = channel;
		this.dataStart = dataStart;
		this.entries = entries;
		this.metadata = metadata;
	}

	public static SafetensorsFile open(Path path) throws IOException {
		FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
		try {
			long size = channel.size();
			if(size < 8) {
				throw new IOException(path + ": not a safetensors file (shorter than 8 bytes)");
			}
			ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
			channel.read(lengthBytes, 0);
			long headerLength = lengthBytes.flip().getLong();
			if(headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
				throw new IOException(path + ": not a safetensors file (header length " + headerLength + ")");
			}
			ByteBuffer header = ByteBuffer.allocate((int) headerLength);
			channel.read(header, 8);
			JsonObject root;
			try {
				root = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8).trim()).getAsJsonObject();
			} catch(JsonParseException | IllegalStateException e) {
				throw new IOException(path + ": invalid safetensors header JSON: " + e.getMessage(), e);
			}
			long dataStart = 8 + headerLength;
			Map<String, Entry> entries = new LinkedHashMap<>();
			Map<String, String> metadata = new LinkedHashMap<>();
			for(Map.Entry<String, JsonElement> item : root.entrySet()) {
				if(item.getKey().equals("__metadata__")) {
					item.getValue().getAsJsonObject().entrySet()
							.forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
					continue;
				}
				JsonObject info = item.getValue().getAsJsonObject();
				JsonArray shapeJson = info.getAsJsonArray("shape");
				long[] shape = new long[shapeJson.size()];
				long count = 1;
				for(int i = 0; i < shape.length; i++) {
					shape[i] = shapeJson.get(i).getAsLong();
					count *= shape[i];
				}
				JsonArray offsets = info.getAsJsonArray("data_offsets");
				long begin = offsets.get(0).getAsLong();
				long end = offsets.get(1).getAsLong();
				String dtype = info.get("dtype").getAsString();
				int width = switch(dtype) {
					case "F32", "I32", "U32" -> 4;
					case "F16", "BF16", "I16" -> 2;
					case "F64", "I64" -> 8;
					case "I8", "U8", "BOOL" -> 1;
					default -> throw new IOException(path + ": tensor " + item.getKey() + " has unsupported dtype " + dtype);
				};
				if(end - begin != count * width || dataStart + end > size || begin < 0) {
					throw new IOException(path + ": tensor " + item.getKey() + " has inconsistent offsets " + begin
							+ ".." + end + " for shape " + java.util.Arrays.toString(shape) + " " + dtype
							+ " (file truncated?)");
				}
				entries.put(item.getKey(), new Entry(dtype, shape, begin, end));
			}
			return new SafetensorsFile(path, channel, dataStart, entries, metadata);
		} catch(IOException | RuntimeException e) {
			channel.close();
			if(e instanceof IOException io) {
				throw io;
			}
			throw new IOException(path + ": cannot read safetensors header: " + e.getMessage(), e);
		}
	}

	public Path path() {
		return path;
	}

	public Set<String> names() {
		return Collections.unmodifiableSet(entries.keySet());
	}

	public Map<String, String> metadata() {
		return Collections.unmodifiableMap(metadata);
	}

	public boolean contains(String name) {
		return entries.containsKey(name);
	}

	public long[] shape(String name) throws IOException {
		return entry(name).shape().clone();
	}

	/** The tensor, memory-mapped; fails naming the file and tensor if it is absent. */
	public TensorView tensor(String name) throws IOException {
		Entry entry = entry(name);
		long length = entry.end() - entry.begin();
		if(length > WINDOW) {
			throw new IOException(path + ": tensor " + name + " is larger than 2 GiB; read it in row slices");
		}
		ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin(), length)
				.order(ByteOrder.LITTLE_ENDIAN);
		return new TensorView(name, entry.dtype(), entry.shape().clone(), mapped);
	}

	/** Rows {@code [from, to)} of a tensor's first dimension, mapped without reading the rest. */
	public TensorView rows(String name, long from, long to) throws IOException {
		Entry entry = entry(name);
		long rowElements = 1;
		for(int i = 1; i < entry.shape().length; i++) {
			rowElements *= entry.shape()[i];
		}
		int width = new TensorView(name, entry.dtype(), entry.shape(), ByteBuffer.allocate(0)).bytesPerElement();
		long rowBytes = rowElements * width;
		long[] shape = entry.shape().clone();
		shape[0] = to - from;
		ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + entry.begin() + from * rowBytes,
				(to - from) * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
		return new TensorView(name, entry.dtype(), shape, mapped);
	}

	/** Dtype of a tensor ({@code F32}, {@code BF16}, ...) without mapping it. */
	public String dtype(String name) throws IOException {
		return entry(name).dtype();
	}

	/**
	 * Reads {@code dst.remaining()} bytes of a tensor's data, starting {@code byteOffset} bytes into it, with positional
	 * reads. Unlike a mapping, the bytes read pass through the page cache without becoming part of the caller's
	 * resident memory, so converting a 16 GB checkpoint does not add 16 GB of mapped pages to the process.
	 */
	public void read(String name, long byteOffset, ByteBuffer dst) throws IOException {
		Entry entry = entry(name);
		long length = entry.end() - entry.begin();
		if(byteOffset < 0 || byteOffset + dst.remaining() > length) {
			throw new IOException(path + ": read of " + dst.remaining() + " bytes at " + byteOffset + " is outside tensor "
					+ name + " (" + length + " bytes)");
		}
		long position = dataStart + entry.begin() + byteOffset;
		while(dst.hasRemaining()) {
			int read = channel.read(dst, position);
			if(read < 0) {
				throw new IOException(path + ": unexpected end of file in tensor " + name);
			}
			position += read;
		}
	}

	private Entry entry(String name) throws IOException {
		Entry entry = entries.get(name);
		if(entry == null) {
			throw new IOException(path + ": missing tensor '" + name + "'");
		}
		return entry;
	}

	/** Closes the channel; mappings already handed out stay valid until garbage collected. */
	public void close() throws IOException {
		channel.close();
	}
}
