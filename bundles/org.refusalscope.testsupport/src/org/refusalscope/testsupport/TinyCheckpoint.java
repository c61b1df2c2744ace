package org.refusalscope.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.refusalscope.core.models.WordLevelTokenizer;
import org.refusalscope.io.safetensors.SafetensorsWriter;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A tiny random checkpoint written as a real Hugging Face folder (config.json, safetensors, tokenizer.json,
 * tokenizer_config.json), plus the same weights as doubles for the reference implementation. For BF16 files the
 * doubles are the bf16-rounded values, so both sides see the same numbers. Shared by the model.djl tests and the
 * core pipeline tests on the DJL backend.
 */
public final class TinyCheckpoint {

	public final boolean gemma;
	public final int hidden;
	public final int intermediate;
	public final int layers;
	public final int heads;
	public final int kvHeads;
	public final int headDim;
	public final int vocab;
	public final double eps = 1e-6;
	public final double theta = 10000;
	public final double queryPreAttnScalar;
	public final double attnSoftcap;
	public final double finalSoftcap;
	public final int window;
	/** llama3 rope scaling: factor 8, bands at wavelengths 16 and 64 (head_dim 16 spans all three). */
	public final double ropeFactor = 8;
	public final double lowFreqFactor = 1;
	public final double highFreqFactor = 4;
	public final double originalContext = 64;
	public final Map<String, double[]> tensors = new LinkedHashMap<>();
	public final Map<String, long[]> shapes = new LinkedHashMap<>();
	/** Word-level vocabulary of the test tokenizer: ids 0..5 special, then these words from id 6. */
	private List<String> words = List.of("hello", "world", "how", "do", "i", "bake", "bread", "tell", "me", "a", "story",
			"about", "cats", "and", "dogs", "user", "model", "please", "the", "sun", "is", "bright", "today", "yes", "no");

	private TinyCheckpoint(boolean gemma, long seed) {
		this.gemma = gemma;
		this.hidden = 32;
		this.intermediate = 48;
		this.layers = 3;
		this.heads = 4;
		this.kvHeads = gemma ? 2 : 2;
		this.headDim = 16;
		this.vocab = 40;
		this.queryPreAttnScalar = gemma ? 9.0 : headDim; // != head_dim for Gemma
		this.attnSoftcap = gemma ? 0.9 : 0; // small, so it bites
		this.finalSoftcap = gemma ? 8.0 : 0; // raw logits reach about 12: the cap bends them without saturating
		this.window = gemma ? 4 : 0;
		Random random = new Random(seed);
		add("model.embed_tokens.weight", random, 1.0, vocab, hidden);
		for(int l = 0; l < layers; l++) {
			String p = "model.layers." + l + ".";
			addNorm(p + "input_layernorm.weight", random);
			addNorm(p + "post_attention_layernorm.weight", random);
			if(gemma) {
				addNorm(p + "pre_feedforward_layernorm.weight", random);
				addNorm(p + "post_feedforward_layernorm.weight", random);
			}
			// large enough q/k weights that the attention soft-cap and the softmax are far from uniform
			add(p + "self_attn.q_proj.weight", random, 0.8, heads * headDim, hidden);
			add(p + "self_attn.k_proj.weight", random, 0.8, kvHeads * headDim, hidden);
			add(p + "self_attn.v_proj.weight", random, 0.3, kvHeads * headDim, hidden);
			add(p + "self_attn.o_proj.weight", random, 0.3, hidden, heads * headDim);
			add(p + "mlp.gate_proj.weight", random, 0.4, intermediate, hidden);
			add(p + "mlp.up_proj.weight", random, 0.4, intermediate, hidden);
			add(p + "mlp.down_proj.weight", random, 0.3, hidden, intermediate);
		}
		addNorm("model.norm.weight", random);
		if(!gemma) {
			add("lm_head.weight", random, 1.0, vocab, hidden);
		}
	}

	public static TinyCheckpoint gemma(long seed) {
		return new TinyCheckpoint(true, seed);
	}

	public static TinyCheckpoint llama(long seed) {
		return new TinyCheckpoint(false, seed);
	}

	private void add(String name, Random random, double scale, int rows, int cols) {
		double[] values = new double[rows * cols];
		for(int i = 0; i < values.length; i++) {
			values[i] = (float) (random.nextGaussian() * scale);
		}
		tensors.put(name, values);
		shapes.put(name, new long[]{rows, cols});
	}

	private void addNorm(String name, Random random) {
		double[] values = new double[hidden];
		for(int i = 0; i < hidden; i++) {
			// Gemma stores w with the norm applying (1 + w); Llama stores the multiplier itself
			values[i] = (float) ((gemma ? 0 : 1) + 0.2 * random.nextGaussian());
		}
		tensors.put(name, values);
		shapes.put(name, new long[]{hidden});
	}

	/**
	 * Rounds the matrices (not the norms) to float16, as a half-storage load holds them, so the reference computes
	 * the function of the weights the engine actually has. Call after {@link #write}.
	 */
	public TinyCheckpoint roundMatricesToFloat16() {
		for(Map.Entry<String, double[]> entry : tensors.entrySet()) {
			if(shapes.get(entry.getKey()).length == 2) {
				double[] values = entry.getValue();
				for(int i = 0; i < values.length; i++) {
					values[i] = Float.float16ToFloat(Float.floatToFloat16((float) values[i]));
				}
			}
		}
		return this;
	}

	/**
	 * Spells the word "i" as "I" (same id), so that a refusal's first token exists in the vocabulary: the pipeline
	 * tests on this checkpoint judge refusals. Call before {@link #write}.
	 */
	public TinyCheckpoint withCapitalI() {
		words = words.stream().map(word -> word.equals("i") ? "I" : word).toList();
		return this;
	}

	public double[] get(String name) {
		return tensors.get(name);
	}

	/** Writes the folder; {@code shards > 1} writes model-0000N-of-0000M files and the index. */
	public Path write(Path folder, String dtype, int shards) throws IOException {
		Files.createDirectories(folder);
		if(dtype.equals("BF16")) {
			for(Map.Entry<String, double[]> entry : tensors.entrySet()) {
				double[] values = entry.getValue();
				for(int i = 0; i < values.length; i++) {
					short bits = SafetensorsWriter.toBfloat16((float) values[i]);
					values[i] = Float.intBitsToFloat((bits & 0xffff) << 16);
				}
			}
		}
		if(shards <= 1) {
			SafetensorsWriter writer = new SafetensorsWriter();
			tensors.forEach((name, values) -> writer.add(name, shapes.get(name), toFloats(values), dtype));
			writer.write(folder.resolve("model.safetensors"));
		} else {
			SafetensorsWriter[] writers = new SafetensorsWriter[shards];
			for(int s = 0; s < shards; s++) {
				writers[s] = new SafetensorsWriter();
			}
			JsonObject weightMap = new JsonObject();
			int index = 0;
			for(Map.Entry<String, double[]> entry : tensors.entrySet()) {
				int shard = index++ % shards;
				writers[shard].add(entry.getKey(), shapes.get(entry.getKey()), toFloats(entry.getValue()), dtype);
				weightMap.addProperty(entry.getKey(), shardName(shard, shards));
			}
			for(int s = 0; s < shards; s++) {
				writers[s].write(folder.resolve(shardName(s, shards)));
			}
			JsonObject indexJson = new JsonObject();
			indexJson.add("metadata", new JsonObject());
			indexJson.add("weight_map", weightMap);
			Files.writeString(folder.resolve("model.safetensors.index.json"), indexJson.toString());
		}
		Files.writeString(folder.resolve("config.json"), config().toString());
		writeTokenizer(folder);
		return folder;
	}

	private static String shardName(int shard, int shards) {
		return String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
	}

	private static float[] toFloats(double[] values) {
		float[] out = new float[values.length];
		for(int i = 0; i < values.length; i++) {
			out[i] = (float) values[i];
		}
		return out;
	}

	public JsonObject config() {
		JsonObject json = new JsonObject();
		json.addProperty("model_type", gemma ? "gemma2" : "llama");
		json.addProperty("hidden_size", hidden);
		json.addProperty("intermediate_size", intermediate);
		json.addProperty("num_hidden_layers", layers);
		json.addProperty("num_attention_heads", heads);
		json.addProperty("num_key_value_heads", kvHeads);
		json.addProperty("head_dim", headDim);
		json.addProperty("vocab_size", vocab);
		json.addProperty("rms_norm_eps", eps);
		json.addProperty("rope_theta", theta);
		json.addProperty("bos_token_id", 1);
		json.addProperty("pad_token_id", 0);
		if(gemma) {
			json.addProperty("eos_token_id", 2);
			json.addProperty("query_pre_attn_scalar", queryPreAttnScalar);
			json.addProperty("attn_logit_softcapping", attnSoftcap);
			json.addProperty("final_logit_softcapping", finalSoftcap);
			json.addProperty("sliding_window", window);
			json.addProperty("hidden_activation", "gelu_pytorch_tanh");
			json.addProperty("tie_word_embeddings", true);
		} else {
			JsonArray eos = new JsonArray();
			eos.add(2);
			eos.add(3);
			json.add("eos_token_id", eos);
			json.addProperty("hidden_act", "silu");
			json.addProperty("tie_word_embeddings", false);
			JsonObject scaling = new JsonObject();
			scaling.addProperty("rope_type", "llama3");
			scaling.addProperty("factor", ropeFactor);
			scaling.addProperty("low_freq_factor", lowFreqFactor);
			scaling.addProperty("high_freq_factor", highFreqFactor);
			scaling.addProperty("original_max_position_embeddings", (int) originalContext);
			json.add("rope_scaling", scaling);
		}
		return json;
	}

	public static final String TEMPLATE = "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'assistant' %}"
			+ "{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}<start_of_turn>{{ role }} "
			+ "{{ message['content'] | trim }}<end_of_turn> {% endfor %}{% if add_generation_prompt %}<start_of_turn>model "
			+ "{% endif %}";

	private void writeTokenizer(Path folder) throws IOException {
		List<String> tokens = new ArrayList<>(List.of("<pad>", "<bos>", "<eos>", WordLevelTokenizer.UNKNOWN,
				"<start_of_turn>", "<end_of_turn>"));
		int specials = tokens.size();
		tokens.addAll(words);
		JsonObject bosPiece = new JsonObject();
		JsonObject bosSpecial = new JsonObject();
		bosSpecial.addProperty("id", "<bos>");
		bosSpecial.addProperty("type_id", 0);
		bosPiece.add("SpecialToken", bosSpecial);
		JsonObject seqPiece = new JsonObject();
		JsonObject seq = new JsonObject();
		seq.addProperty("id", "A");
		seq.addProperty("type_id", 0);
		seqPiece.add("Sequence", seq);
		JsonArray single = new JsonArray();
		single.add(bosPiece);
		single.add(seqPiece);
		JsonObject post = new JsonObject();
		post.addProperty("type", "TemplateProcessing");
		post.add("single", single);
		post.add("pair", single.deepCopy());
		JsonObject specialTokens = new JsonObject();
		JsonObject bosEntry = new JsonObject();
		bosEntry.addProperty("id", "<bos>");
		JsonArray bosIds = new JsonArray();
		bosIds.add(1);
		bosEntry.add("ids", bosIds);
		JsonArray bosTokens = new JsonArray();
		bosTokens.add("<bos>");
		bosEntry.add("tokens", bosTokens);
		specialTokens.add("<bos>", bosEntry);
		post.add("special_tokens", specialTokens);
		JsonObject tokenizer = WordLevelTokenizer.json(tokens, specials, "Whitespace", post, false);
		Files.writeString(folder.resolve("tokenizer.json"), tokenizer.toString());
		JsonObject config = new JsonObject();
		config.addProperty("bos_token", "<bos>");
		config.addProperty("eos_token", "<eos>");
		config.addProperty("chat_template", TEMPLATE);
		Files.writeString(folder.resolve("tokenizer_config.json"), config.toString());
	}
}
