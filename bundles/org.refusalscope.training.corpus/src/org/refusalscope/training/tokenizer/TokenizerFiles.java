package org.refusalscope.training.tokenizer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/** Writes a trained vocabulary as Hugging Face tokenizer.json and tokenizer_config.json. */
public final class TokenizerFiles {

	private TokenizerFiles() {
	}

	public static void write(BpeTrainer.Vocabulary vocabulary, Path folder, int maxLength) throws IOException {
		Files.createDirectories(folder);
		writeAtomically(folder.resolve("tokenizer.json"), tokenizerJson(vocabulary));
		writeAtomically(folder.resolve("tokenizer_config.json"), tokenizerConfig(vocabulary, maxLength));
	}

	/** The number of ids in a tokenizer.json written here (vocabulary entries; added tokens are among them). */
	public static int vocabularySize(Path tokenizerJson) throws IOException {
		JsonObject root = com.google.gson.JsonParser.parseString(Files.readString(tokenizerJson, StandardCharsets.UTF_8)).getAsJsonObject();
		int max = -1;
		for(Map.Entry<String, com.google.gson.JsonElement> entry : root.getAsJsonObject("model").getAsJsonObject("vocab").entrySet()) {
			max = Math.max(max, entry.getValue().getAsInt());
		}
		return max + 1;
	}

	static JsonObject tokenizerJson(BpeTrainer.Vocabulary vocabulary) {
		JsonObject root = new JsonObject();
		root.addProperty("version", "1.0");
		root.add("truncation", JsonNull.INSTANCE);
		root.add("padding", JsonNull.INSTANCE);
		JsonArray added = new JsonArray();
		for(String special : vocabulary.specialTokens()) {
			JsonObject token = new JsonObject();
			token.addProperty("id", vocabulary.vocab().get(special));
			token.addProperty("content", special);
			token.addProperty("single_word", false);
			token.addProperty("lstrip", false);
			token.addProperty("rstrip", false);
			token.addProperty("normalized", false);
			token.addProperty("special", true);
			added.add(token);
		}
		root.add("added_tokens", added);
		root.add("normalizer", JsonNull.INSTANCE);
		root.add("pre_tokenizer", byteLevel());
		root.add("post_processor", JsonNull.INSTANCE);
		root.add("decoder", byteLevel());
		JsonObject model = new JsonObject();
		model.addProperty("type", "BPE");
		model.add("dropout", JsonNull.INSTANCE);
		model.add("unk_token", JsonNull.INSTANCE);
		model.add("continuing_subword_prefix", JsonNull.INSTANCE);
		model.add("end_of_word_suffix", JsonNull.INSTANCE);
		model.addProperty("fuse_unk", false);
		model.addProperty("byte_fallback", false);
		JsonObject vocab = new JsonObject();
		for(Map.Entry<String, Integer> entry : vocabulary.vocab().entrySet()) {
			vocab.addProperty(entry.getKey(), entry.getValue());
		}
		model.add("vocab", vocab);
		JsonArray merges = new JsonArray();
		for(String[] merge : vocabulary.merges()) {
			merges.add(merge[0] + " " + merge[1]);
		}
		model.add("merges", merges);
		root.add("model", model);
		return root;
	}

	private static JsonObject byteLevel() {
		JsonObject byteLevel = new JsonObject();
		byteLevel.addProperty("type", "ByteLevel");
		byteLevel.addProperty("add_prefix_space", false);
		byteLevel.addProperty("trim_offsets", true);
		byteLevel.addProperty("use_regex", true);
		return byteLevel;
	}

	static JsonObject tokenizerConfig(BpeTrainer.Vocabulary vocabulary, int maxLength) {
		JsonObject config = new JsonObject();
		config.addProperty("tokenizer_class", "PreTrainedTokenizerFast");
		config.addProperty("bos_token", ChatFormat.BOS);
		config.addProperty("eos_token", ChatFormat.END_OF_TURN);
		config.addProperty("pad_token", ChatFormat.PAD);
		config.add("unk_token", JsonNull.INSTANCE);
		config.addProperty("add_bos_token", false);
		config.addProperty("add_eos_token", false);
		config.addProperty("clean_up_tokenization_spaces", false);
		config.addProperty("model_max_length", maxLength);
		config.addProperty("chat_template", ChatFormat.CHAT_TEMPLATE);
		JsonObject decoder = new JsonObject();
		for(String special : vocabulary.specialTokens()) {
			JsonObject token = new JsonObject();
			token.addProperty("content", special);
			token.addProperty("lstrip", false);
			token.addProperty("normalized", false);
			token.addProperty("rstrip", false);
			token.addProperty("single_word", false);
			token.addProperty("special", true);
			decoder.add(String.valueOf(vocabulary.vocab().get(special)), token);
		}
		config.add("added_tokens_decoder", decoder);
		return config;
	}

	static void writeAtomically(Path file, JsonObject json) throws IOException {
		Path temp = file.resolveSibling(file.getFileName() + ".tmp");
		Files.writeString(temp, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json), StandardCharsets.UTF_8);
		Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}
}
