package org.refusalscope.io.safetensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.refusalscope.api.TensorView;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or shards listed in
 * {@code model.safetensors.index.json} ({@code weight_map}: tensor name to shard file).
 */
public final class ShardedCheckpoint implements AutoCloseable {

	public static final String SINGLE = "model.safetensors";
	public static final String INDEX = "model.safetensors.index.json";

	private final Path folder;
	private final Map<String, SafetensorsFile> byTensor = new LinkedHashMap<>();
	private final List<SafetensorsFile> files = new ArrayList<>();

	private ShardedCheckpoint(Path folder) {
		this.folder = folder;
	}

	public static ShardedCheckpoint open(Path folder) throws IOException {
		ShardedCheckpoint checkpoint = new ShardedCheckpoint(folder);
		Path index = folder.resolve(INDEX);
		Path single = folder.resolve(SINGLE);
		try {
			if(Files.isRegularFile(index)) {
				JsonObject weightMap;
				try {
					weightMap = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
				} catch(RuntimeException e) {
					throw new IOException(index + ": invalid index JSON: " + e.getMessage(), e);
				}
				if(weightMap == null) {
					throw new IOException(index + ": no 'weight_map'");
				}
				Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
				for(var entry : weightMap.entrySet()) {
					String shardName = entry.getValue().getAsString();
					SafetensorsFile shard = shards.get(shardName);
					if(shard == null) {
						Path shardPath = folder.resolve(shardName);
						if(!Files.isRegularFile(shardPath)) {
							throw new IOException(index + ": shard " + shardName + " (for tensor " + entry.getKey()
									+ ") not found");
						}
						shard = SafetensorsFile.open(shardPath);
						shards.put(shardName, shard);
						checkpoint.files.add(shard);
					}
					if(!shard.contains(entry.getKey())) {
						throw new IOException(shard.path() + ": missing tensor '" + entry.getKey() + "' listed in " + INDEX);
					}
					checkpoint.byTensor.put(entry.getKey(), shard);
				}
			} else if(Files.isRegularFile(single)) {
				SafetensorsFile file = SafetensorsFile.open(single);
				checkpoint.files.add(file);
				for(String name : file.names()) {
					checkpoint.byTensor.put(name, file);
				}
			} else {
				throw new IOException(folder + ": no " + SINGLE + " or " + INDEX);
			}
			return checkpoint;
		} catch(IOException e) {
			checkpoint.close();
			throw e;
		}
	}

	public Set<String> names() {
		return new TreeSet<>(byTensor.keySet());
	}

	public boolean contains(String name) {
		return byTensor.containsKey(name);
	}

	/** The tensor, or an error naming the folder and tensor. */
	public TensorView tensor(String name) throws IOException {
		SafetensorsFile file = byTensor.get(name);
		if(file == null) {
			throw new IOException(folder + ": missing tensor '" + name + "' in the checkpoint");
		}
		return file.tensor(name);
	}

	/** Dtype and shape of one tensor, read from the header (nothing is mapped). */
	public String dtype(String name) throws IOException {
		return file(name).dtype(name);
	}

	public long[] shape(String name) throws IOException {
		return file(name).shape(name);
	}

	/** See {@link SafetensorsFile#read(String, long, java.nio.ByteBuffer)}. */
	public void read(String name, long byteOffset, java.nio.ByteBuffer dst) throws IOException {
		file(name).read(name, byteOffset, dst);
	}

	private SafetensorsFile file(String name) throws IOException {
		SafetensorsFile file = byTensor.get(name);
		if(file == null) {
			throw new IOException(folder + ": missing tensor '" + name + "' in the checkpoint");
		}
		return file;
	}

	/** Dtype of the first tensor, e.g. BF16. */
	public String dtype() throws IOException {
		String first = byTensor.keySet().iterator().next();
		return byTensor.get(first).tensor(first).dtype();
	}

	@Override
	public void close() throws IOException {
		for(SafetensorsFile file : files) {
			file.close();
		}
	}
}
