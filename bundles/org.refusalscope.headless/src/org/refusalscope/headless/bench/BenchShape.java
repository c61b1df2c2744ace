package org.refusalscope.headless.bench;

import java.util.List;
import java.util.Locale;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The architecture of a benchmark checkpoint with random weights. The two full-size shapes copy the configs of the
 * published models (google/gemma-2-2b, meta-llama/Llama-3.1-8B); {@code tiny} is a small Gemma-2 used by tests.
 */
public record BenchShape(String name, String modelType, int layers, int hidden, int heads, int kvHeads, int headDim,
		int intermediate, int vocab, boolean tiedEmbeddings) {

	public static final BenchShape GEMMA2_2B = new BenchShape("gemma2-2b", "gemma2", 26, 2304, 8, 4, 256, 9216, 256000,
			true);
	public static final BenchShape LLAMA3_8B = new BenchShape("llama3-8b", "llama", 32, 4096, 32, 8, 128, 14336, 128256,
			false);
	/** For tests of the command: the same code paths on a checkpoint of a few hundred kB. */
	public static final BenchShape TINY = new BenchShape("tiny", "gemma2", 2, 64, 4, 2, 16, 128, 512, true);

	public static final List<BenchShape> GENERATED = List.of(GEMMA2_2B, LLAMA3_8B, TINY);

	public static BenchShape byName(String name) {
		for(BenchShape shape : GENERATED) {
			if(shape.name.equals(name)) {
				return shape;
			}
		}
		throw new IllegalArgumentException("unknown shape '" + name + "' (known: default, gemma2-2b, llama3-8b, tiny)");
	}

	/** The shape of an existing model folder (the shipped default model), from its {@code config.json}. */
	public static BenchShape fromConfig(String name, JsonObject c) {
		int hidden = c.get("hidden_size").getAsInt();
		int heads = c.get("num_attention_heads").getAsInt();
		int headDim = c.has("head_dim") && !c.get("head_dim").isJsonNull() ? c.get("head_dim").getAsInt() : hidden / heads;
		int kvHeads = c.has("num_key_value_heads") ? c.get("num_key_value_heads").getAsInt() : heads;
		boolean tied = !c.has("tie_word_embeddings") || c.get("tie_word_embeddings").getAsBoolean();
		return new BenchShape(name, c.get("model_type").getAsString(), c.get("num_hidden_layers").getAsInt(), hidden,
				heads, kvHeads, headDim, c.get("intermediate_size").getAsInt(), c.get("vocab_size").getAsInt(), tied);
	}

	public boolean isGemma() {
		return modelType.equals("gemma2");
	}

	/** Weights of one block's matrices (attention and MLP projections), what a token multiplies through. */
	public long blockMatrixParameters() {
		long attention = (long) hidden * heads * headDim * 2 + (long) hidden * kvHeads * headDim * 2;
		long mlp = 3L * hidden * intermediate;
		return attention + mlp;
	}

	public long parameterCount() {
		long norms = (long) hidden * (isGemma() ? 4 : 2);
		long embeddings = (long) vocab * hidden * (tiedEmbeddings ? 1 : 2);
		return layers * (blockMatrixParameters() + norms) + embeddings + hidden;
	}

	/**
	 * Floating point operations of one forward pass over {@code batch} sequences of {@code seq} tokens returning
	 * last-position logits: 2 per weight per token through the blocks, the attention products (QK^T and AV over
	 * the full square, as eager attention computes them) and the unembedding of one position per sequence.
	 */
	public double forwardFlops(int batch, int seq) {
		double blocks = 2.0 * layers * blockMatrixParameters() * seq;
		double attention = 4.0 * layers * heads * headDim * (double) seq * seq;
		double unembed = 2.0 * vocab * hidden;
		return batch * (blocks + attention + unembed);
	}

	/** Hugging Face {@code config.json} of this shape. */
	public JsonObject config() {
		JsonObject c = new JsonObject();
		JsonArray architectures = new JsonArray();
		architectures.add(isGemma() ? "Gemma2ForCausalLM" : "LlamaForCausalLM");
		c.add("architectures", architectures);
		c.addProperty("model_type", modelType);
		c.addProperty("hidden_size", hidden);
		c.addProperty("intermediate_size", intermediate);
		c.addProperty("num_hidden_layers", layers);
		c.addProperty("num_attention_heads", heads);
		c.addProperty("num_key_value_heads", kvHeads);
		c.addProperty("head_dim", headDim);
		c.addProperty("vocab_size", vocab);
		c.addProperty("tie_word_embeddings", tiedEmbeddings);
		c.addProperty("torch_dtype", "bfloat16");
		c.addProperty("attention_bias", false);
		JsonArray eos = new JsonArray();
		if(isGemma()) {
			c.addProperty("max_position_embeddings", 8192);
			c.addProperty("rms_norm_eps", 1e-6);
			c.addProperty("rope_theta", 10000.0);
			c.addProperty("query_pre_attn_scalar", headDim);
			c.addProperty("attn_logit_softcapping", 50.0);
			c.addProperty("final_logit_softcapping", 30.0);
			c.addProperty("sliding_window", 4096);
			c.addProperty("hidden_activation", "gelu_pytorch_tanh");
			c.addProperty("hidden_act", "gelu_pytorch_tanh");
			c.addProperty("bos_token_id", 2);
			c.addProperty("pad_token_id", 0);
			eos.add(1);
		} else {
			c.addProperty("max_position_embeddings", 131072);
			c.addProperty("rms_norm_eps", 1e-5);
			c.addProperty("rope_theta", 500000.0);
			JsonObject scaling = new JsonObject();
			scaling.addProperty("factor", 8.0);
			scaling.addProperty("low_freq_factor", 1.0);
			scaling.addProperty("high_freq_factor", 4.0);
			scaling.addProperty("original_max_position_embeddings", 8192);
			scaling.addProperty("rope_type", "llama3");
			c.add("rope_scaling", scaling);
			c.addProperty("hidden_act", "silu");
			c.addProperty("mlp_bias", false);
			c.addProperty("bos_token_id", 128000);
			eos.add(128001);
			eos.add(128009);
		}
		c.add("eos_token_id", eos);
		return c;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "%s (%s, %d layers, d_model %d, %.2fB parameters)", name, modelType, layers,
				hidden, parameterCount() / 1e9);
	}
}
