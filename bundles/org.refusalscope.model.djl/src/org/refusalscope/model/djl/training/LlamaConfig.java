package org.refusalscope.model.djl.training;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** The shape of a Llama-architecture model, as written to a Hugging Face config.json (model_type "llama"). */
public record LlamaConfig(int vocabSize, int hiddenSize, int layers, int heads, int kvHeads, int intermediateSize,
		int maxPositions, double ropeTheta, double rmsNormEps, int bosTokenId, int eosTokenId, int padTokenId) {

	public int headDim() {
		return hiddenSize / heads;
	}

	public long parameterCount() {
		long attention = (long)hiddenSize * headDim() * (2L * heads + 2L * kvHeads);
		long mlp = 3L * hiddenSize * intermediateSize;
		return (long)vocabSize * hiddenSize + layers * (attention + mlp + 2L * hiddenSize) + hiddenSize;
	}

	public JsonObject toConfigJson() {
		JsonObject config = new JsonObject();
		JsonArray architectures = new JsonArray();
		architectures.add("LlamaForCausalLM");
		config.add("architectures", architectures);
		config.addProperty("model_type", "llama");
		config.addProperty("vocab_size", vocabSize);
		config.addProperty("hidden_size", hiddenSize);
		config.addProperty("intermediate_size", intermediateSize);
		config.addProperty("num_hidden_layers", layers);
		config.addProperty("num_attention_heads", heads);
		config.addProperty("num_key_value_heads", kvHeads);
		config.addProperty("head_dim", headDim());
		config.addProperty("hidden_act", "silu");
		config.addProperty("max_position_embeddings", maxPositions);
		config.addProperty("rope_theta", ropeTheta);
		config.add("rope_scaling", com.google.gson.JsonNull.INSTANCE);
		config.addProperty("rms_norm_eps", rmsNormEps);
		config.addProperty("attention_bias", false);
		config.addProperty("attention_dropout", 0.0);
		config.addProperty("mlp_bias", false);
		config.addProperty("initializer_range", 0.02);
		config.addProperty("tie_word_embeddings", true);
		config.addProperty("bos_token_id", bosTokenId);
		config.addProperty("eos_token_id", eosTokenId);
		config.addProperty("pad_token_id", padTokenId);
		config.addProperty("torch_dtype", "float32");
		config.addProperty("use_cache", true);
		config.addProperty("transformers_version", "4.44.0");
		return config;
	}

	public static LlamaConfig fromConfigJson(JsonObject config) {
		int hidden = config.get("hidden_size").getAsInt();
		int heads = config.get("num_attention_heads").getAsInt();
		return new LlamaConfig(config.get("vocab_size").getAsInt(), hidden, config.get("num_hidden_layers").getAsInt(), heads,
				config.has("num_key_value_heads") ? config.get("num_key_value_heads").getAsInt() : heads,
				config.get("intermediate_size").getAsInt(), config.get("max_position_embeddings").getAsInt(),
				config.get("rope_theta").getAsDouble(), config.get("rms_norm_eps").getAsDouble(), config.get("bos_token_id").getAsInt(),
				config.get("eos_token_id").isJsonArray() ? config.get("eos_token_id").getAsJsonArray().get(0).getAsInt() : config.get("eos_token_id").getAsInt(),
				config.has("pad_token_id") && !config.get("pad_token_id").isJsonNull() ? config.get("pad_token_id").getAsInt() : 0);
	}
}
