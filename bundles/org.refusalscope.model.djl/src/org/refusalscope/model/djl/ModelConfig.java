package org.refusalscope.model.djl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The fields of a Hugging Face {@code config.json} that the two supported decoder architectures use. Every value the
 * forward pass depends on is read here, so the transformer code never looks at JSON.
 *
 * @param architecture       gemma2 or llama
 * @param headDim            per-head width; Gemma-2 sets it independently of hidden/heads
 * @param queryScale         factor applied to q.k (query_pre_attn_scalar^-0.5 for Gemma-2, head_dim^-0.5 otherwise)
 * @param attnSoftcap        attention logit soft-cap, 0 = none
 * @param finalSoftcap       final logit soft-cap, 0 = none
 * @param slidingWindow      window of the local layers, 0 = none
 * @param slidingLayers      per layer: uses the sliding window
 * @param invFreq            rotary inverse frequencies (rope_theta and any llama3 rope_scaling applied)
 * @param eosTokenIds        int or list in the config
 * @param bosTokenId         -1 if absent
 */
public record ModelConfig(Architecture architecture, String modelType, int hiddenSize, int intermediateSize,
		int numLayers, int numHeads, int numKvHeads, int headDim, int vocabSize, double rmsNormEps,
		double queryScale, double attnSoftcap, double finalSoftcap, int slidingWindow, boolean[] slidingLayers,
		double[] invFreq, boolean tieWordEmbeddings, Activation activation, int[] eosTokenIds, int bosTokenId,
		int padTokenId) {

	public static final String FILE = "config.json";

	public enum Architecture {
		/** Gemma-2: (1+w) RMSNorm, four norms per block, scaled embeddings, soft-caps, alternating local layers. */
		GEMMA2,
		/** Llama-3.x: pre-norm blocks, GQA, llama3 rope scaling, untied (or tied) lm_head. */
		LLAMA
	}

	public enum Activation {
		GELU_TANH,
		SILU
	}

	public static boolean isSupported(String modelType) {
		return "gemma2".equals(modelType) || "llama".equals(modelType);
	}

	public static ModelConfig read(Path folder) throws IOException {
		Path file = folder.resolve(FILE);
		if(!Files.isRegularFile(file)) {
			throw new IOException(file + ": no config.json in the model folder");
		}
		JsonObject json;
		try {
			json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
		} catch(JsonParseException | IllegalStateException e) {
			throw new IOException(file + ": invalid JSON: " + e.getMessage(), e);
		}
		ModelConfig config;
		try {
			config = parse(json, file);
		} catch(RuntimeException e) {
			throw new IOException(file + ": " + e.getMessage(), e);
		}
		return config.withGenerationEos(folder.resolve(GENERATION_FILE));
	}

	public static final String GENERATION_FILE = "generation_config.json";

	/**
	 * Adds the stop ids of {@code generation_config.json}, which transformers' generate uses: instruction-tuned
	 * checkpoints list their end-of-turn token there (Gemma-2-IT: 107, Llama-3-IT: 128009), not in config.json.
	 */
	ModelConfig withGenerationEos(Path generationFile) throws IOException {
		if(!Files.isRegularFile(generationFile)) {
			return this;
		}
		int[] extra;
		try {
			extra = ids(JsonParser.parseString(Files.readString(generationFile)).getAsJsonObject().get("eos_token_id"));
		} catch(RuntimeException e) {
			throw new IOException(generationFile + ": invalid JSON: " + e.getMessage(), e);
		}
		int[] merged = java.util.stream.IntStream.concat(java.util.Arrays.stream(eosTokenIds), java.util.Arrays.stream(
				extra)).distinct().toArray();
		return new ModelConfig(architecture, modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads,
				headDim, vocabSize, rmsNormEps, queryScale, attnSoftcap, finalSoftcap, slidingWindow, slidingLayers, invFreq,
				tieWordEmbeddings, activation, merged, bosTokenId, padTokenId);
	}

	static ModelConfig parse(JsonObject json, Path file) throws IOException {
		String modelType = string(json, "model_type", null);
		Architecture architecture;
		if("gemma2".equals(modelType)) {
			architecture = Architecture.GEMMA2;
		} else if("llama".equals(modelType)) {
			architecture = Architecture.LLAMA;
		} else {
			throw new IOException(file + ": unsupported model_type '" + modelType + "' (supported: gemma2, llama)");
		}
		boolean gemma = architecture == Architecture.GEMMA2;
		int hidden = required(json, "hidden_size", file);
		int intermediate = required(json, "intermediate_size", file);
		int layers = required(json, "num_hidden_layers", file);
		int heads = required(json, "num_attention_heads", file);
		int kvHeads = integer(json, "num_key_value_heads", heads);
		// transformers' Gemma2Config defaults head_dim to 256, LlamaConfig to hidden/heads
		int headDim = integer(json, "head_dim", gemma ? 256 : hidden / heads);
		if(heads % kvHeads != 0) {
			throw new IOException(file + ": num_attention_heads " + heads + " is not a multiple of num_key_value_heads "
					+ kvHeads);
		}
		int vocab = required(json, "vocab_size", file);
		double eps = number(json, "rms_norm_eps", 1e-6);
		for(String flag : new String[]{"attention_bias", "mlp_bias"}) {
			if(json.has(flag) && !json.get(flag).isJsonNull() && json.get(flag).getAsBoolean()) {
				throw new IOException(file + ": " + flag + "=true is not supported by this backend");
			}
		}
		double queryScale;
		if(gemma) {
			queryScale = 1.0 / Math.sqrt(number(json, "query_pre_attn_scalar", 256));
		} else {
			queryScale = 1.0 / Math.sqrt(headDim);
		}
		// absent keys take Gemma2Config's defaults; an explicit null disables the feature, as in transformers
		double attnSoftcap = gemma ? orDefault(json, "attn_logit_softcapping", 50.0) : 0;
		double finalSoftcap = gemma ? orDefault(json, "final_logit_softcapping", 30.0) : 0;
		int window = 0;
		boolean[] sliding = new boolean[layers];
		if(gemma) {
			window = (int) orDefault(json, "sliding_window", 4096);
			JsonElement types = json.get("layer_types");
			if(types != null && types.isJsonArray()) {
				JsonArray list = types.getAsJsonArray();
				if(list.size() != layers) {
					throw new IOException(file + ": layer_types has " + list.size() + " entries for " + layers + " layers");
				}
				for(int i = 0; i < layers; i++) {
					sliding[i] = "sliding_attention".equals(list.get(i).getAsString());
				}
			} else {
				// transformers' Gemma2: is_sliding = not bool(layer_idx % 2), so even layers are local
				for(int i = 0; i < layers; i++) {
					sliding[i] = i % 2 == 0;
				}
			}
			if(window <= 0) {
				sliding = new boolean[layers];
			}
		}
		double theta = number(json, "rope_theta", 10000.0);
		double[] invFreq = ropeInverseFrequencies(json, headDim, theta, file);
		boolean tie = json.has("tie_word_embeddings") && !json.get("tie_word_embeddings").isJsonNull()
				? json.get("tie_word_embeddings").getAsBoolean()
				: gemma;
		String act = string(json, "hidden_activation", null);
		if(act == null) {
			act = string(json, "hidden_act", gemma ? "gelu_pytorch_tanh" : "silu");
		}
		Activation activation = switch(act) {
			case "gelu_pytorch_tanh", "gelu_new", "gelu_fast" -> Activation.GELU_TANH;
			case "silu", "swish" -> Activation.SILU;
			default -> throw new IOException(file + ": unsupported activation '" + act + "'");
		};
		int[] eos = ids(json.get("eos_token_id"));
		int bos = integer(json, "bos_token_id", -1);
		int pad = integer(json, "pad_token_id", -1);
		return new ModelConfig(architecture, modelType, hidden, intermediate, layers, heads, kvHeads, headDim, vocab, eps,
				queryScale, attnSoftcap, finalSoftcap, window, sliding, invFreq, tie, activation, eos, bos, pad);
	}

	/** inv_freq = theta^(-2i/d), then the llama3 three-band rescaling when {@code rope_scaling.rope_type == llama3}. */
	static double[] ropeInverseFrequencies(JsonObject json, int headDim, double theta, Path file) throws IOException {
		double[] inv = new double[headDim / 2];
		for(int i = 0; i < inv.length; i++) {
			inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
		}
		JsonElement scalingElement = json.get("rope_scaling");
		if(scalingElement == null || scalingElement.isJsonNull()) {
			return inv;
		}
		JsonObject scaling = scalingElement.getAsJsonObject();
		String type = string(scaling, "rope_type", string(scaling, "type", "default"));
		if(type.equals("default")) {
			return inv;
		}
		if(!type.equals("llama3")) {
			throw new IOException(file + ": unsupported rope_scaling type '" + type + "' (supported: llama3)");
		}
		double factor = number(scaling, "factor", 8.0);
		double low = number(scaling, "low_freq_factor", 1.0);
		double high = number(scaling, "high_freq_factor", 4.0);
		double oldContext = number(scaling, "original_max_position_embeddings", 8192);
		double lowWavelen = oldContext / low;
		double highWavelen = oldContext / high;
		for(int i = 0; i < inv.length; i++) {
			double wavelen = 2 * Math.PI / inv[i];
			if(wavelen < highWavelen) {
				continue; // high frequencies kept
			}
			if(wavelen > lowWavelen) {
				inv[i] = inv[i] / factor; // low frequencies scaled
			} else {
				double smooth = (oldContext / wavelen - low) / (high - low);
				inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
			}
		}
		return inv;
	}

	public int queriesPerKvHead() {
		return numHeads / numKvHeads;
	}

	public long parameterCount() {
		long attn = (long) hiddenSize * headDim * (numHeads * 2L + numKvHeads * 2L);
		long mlp = 3L * hiddenSize * intermediateSize;
		long norms = (architecture == Architecture.GEMMA2 ? 4L : 2L) * hiddenSize;
		long embed = (long) vocabSize * hiddenSize * (tieWordEmbeddings ? 1 : 2);
		return numLayers * (attn + mlp + norms) + embed + hiddenSize;
	}

	private static int[] ids(JsonElement element) {
		if(element == null || element.isJsonNull()) {
			return new int[0];
		}
		if(element.isJsonArray()) {
			JsonArray array = element.getAsJsonArray();
			int[] out = new int[array.size()];
			for(int i = 0; i < out.length; i++) {
				out[i] = array.get(i).getAsInt();
			}
			return out;
		}
		return new int[]{element.getAsInt()};
	}

	private static int required(JsonObject json, String key, Path file) throws IOException {
		if(!json.has(key) || json.get(key).isJsonNull()) {
			throw new IOException(file + ": missing '" + key + "'");
		}
		return json.get(key).getAsInt();
	}

	private static int integer(JsonObject json, String key, int fallback) {
		return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsInt() : fallback;
	}

	private static double number(JsonObject json, String key, double fallback) {
		return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsDouble() : fallback;
	}

	/** The value, the default when the key is absent, 0 when it is an explicit null. */
	private static double orDefault(JsonObject json, String key, double fallback) {
		if(!json.has(key)) {
			return fallback;
		}
		return json.get(key).isJsonNull() ? 0 : json.get(key).getAsDouble();
	}

	private static String string(JsonObject json, String key, String fallback) {
		return json.has(key) && !json.get(key).isJsonNull() ? json.get(key).getAsString() : fallback;
	}
}
