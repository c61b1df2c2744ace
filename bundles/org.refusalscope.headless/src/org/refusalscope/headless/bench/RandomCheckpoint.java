package org.refusalscope.headless.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import org.refusalscope.core.io.AtomicFiles;

import com.google.gson.JsonObject;

/**
 * Writes a Hugging Face folder with random bf16 weights of a {@link BenchShape}, once, into the benchmark cache.
 * Shards (embeddings, one per block, the unembedding) are streamed one at a time from a 32 MB pool of random
 * values ({@link Bf16ShardWriter}), so the 16 GB Llama-3.1-8B checkpoint never sits in the heap. A marker
 * file written last makes an interrupted generation start over instead of being used half-written.
 */
public final class RandomCheckpoint {

	static final String COMPLETE = ".bench-complete";
	/** Standard deviation of the random weights, the usual initialiser scale of these models. */
	private static final float STD = 0.02f;
	/** Random values are tiled from this pool: drawing 8 billion Gaussians would take longer than the benchmark. */
	private static final int POOL = 1 << 24;

	private RandomCheckpoint() {
	}

	/** The folder of {@code shape} under {@code cache}, generated first if absent or incomplete. */
	public static Path ensure(BenchShape shape, Path cache, Path sharedTokenizers, Consumer<String> log)
			throws IOException {
		Path folder = cache.resolve(shape.name());
		if(Files.isRegularFile(folder.resolve(COMPLETE))) {
			return folder;
		}
		log.accept("generating random bf16 checkpoint " + shape + " into " + folder);
		Files.createDirectories(folder);
		float[] pool = pool(shape.name().hashCode());
		java.nio.ByteBuffer bf16 = Bf16ShardWriter.pool(pool);
		List<Writer> writers = new ArrayList<>();
		// shard 1: embeddings and final norm
		writers.add(w -> {
			w.add("model.embed_tokens.weight", new long[]{shape.vocab(), shape.hidden()}, pool, 0);
			w.norm("model.norm.weight", shape);
		});
		for(int layer = 0; layer < shape.layers(); layer++) {
			int l = layer;
			writers.add(w -> block(w, shape, l, pool));
		}
		if(!shape.tiedEmbeddings()) {
			writers.add(w -> w.add("lm_head.weight", new long[]{shape.vocab(), shape.hidden()}, pool, 7));
		}
		JsonObject weightMap = new JsonObject();
		int count = writers.size();
		for(int i = 0; i < count; i++) {
			String file = String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", i + 1, count);
			Shard shard = new Shard(bf16);
			writers.get(i).write(shard);
			shard.writer.write(folder.resolve(file));
			for(String name : shard.names) {
				weightMap.addProperty(name, file);
			}
			log.accept("  wrote " + file);
		}
		JsonObject index = new JsonObject();
		JsonObject metadata = new JsonObject();
		metadata.addProperty("total_size", shape.parameterCount() * 2);
		index.add("metadata", metadata);
		index.add("weight_map", weightMap);
		AtomicFiles.writeString(folder.resolve("model.safetensors.index.json"), index.toString());
		AtomicFiles.writeString(folder.resolve("config.json"), shape.config().toString());
		BenchTokenizer.install(shape, folder, sharedTokenizers, log);
		AtomicFiles.writeString(folder.resolve(COMPLETE), shape.toString() + "\n");
		return folder;
	}

	private static void block(Shard w, BenchShape shape, int layer, float[] pool) {
		String p = "model.layers." + layer + ".";
		long h = shape.hidden();
		long q = (long) shape.heads() * shape.headDim();
		long kv = (long) shape.kvHeads() * shape.headDim();
		long m = shape.intermediate();
		w.add(p + "self_attn.q_proj.weight", new long[]{q, h}, pool, layer * 11 + 1);
		w.add(p + "self_attn.k_proj.weight", new long[]{kv, h}, pool, layer * 11 + 2);
		w.add(p + "self_attn.v_proj.weight", new long[]{kv, h}, pool, layer * 11 + 3);
		w.add(p + "self_attn.o_proj.weight", new long[]{h, q}, pool, layer * 11 + 4);
		w.add(p + "mlp.gate_proj.weight", new long[]{m, h}, pool, layer * 11 + 5);
		w.add(p + "mlp.up_proj.weight", new long[]{m, h}, pool, layer * 11 + 6);
		w.add(p + "mlp.down_proj.weight", new long[]{h, m}, pool, layer * 11 + 7);
		w.norm(p + "input_layernorm.weight", shape);
		w.norm(p + "post_attention_layernorm.weight", shape);
		if(shape.isGemma()) {
			w.norm(p + "pre_feedforward_layernorm.weight", shape);
			w.norm(p + "post_feedforward_layernorm.weight", shape);
		}
	}

	private static float[] pool(long seed) {
		Random random = new Random(seed);
		float[] pool = new float[POOL];
		for(int i = 0; i < POOL; i++) {
			pool[i] = (float) random.nextGaussian() * STD;
		}
		return pool;
	}

	private interface Writer {
		void write(Shard shard);
	}

	/** Collects a shard's tensors for {@link Bf16ShardWriter}. */
	private static final class Shard {
		final Bf16ShardWriter writer;
		final List<String> names = new ArrayList<>();

		Shard(java.nio.ByteBuffer bf16Pool) {
			writer = new Bf16ShardWriter(bf16Pool);
		}

		void add(String name, long[] shape, float[] pool, int salt) {
			writer.random(name, shape, salt);
			names.add(name);
		}

		void norm(String name, BenchShape shape) {
			// Gemma scales by (1 + w): zeros are the identity; Llama scales by w: ones are
			writer.constant(name, new long[]{shape.hidden()}, shape.isGemma() ? 0f : 1f);
			names.add(name);
		}
	}
}
