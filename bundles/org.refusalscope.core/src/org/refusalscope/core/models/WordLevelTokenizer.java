package org.refusalscope.core.models;

import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * The tokenizer.json of a word-level Hugging Face tokenizer, for generated checkpoints (benchmark shapes, test
 * models) whose token ids matter but whose text does not. One place writes it, so the benchmark and the tests load
 * the same structure.
 */
public final class WordLevelTokenizer {

	/** The unknown token; it has to be among the tokens. */
	public static final String UNKNOWN = "<unk>";

	private WordLevelTokenizer() {
	}

	/**
	 * @param tokens
	 *            the vocabulary in id order (token {@code i} gets id {@code i}); the first {@code specials} are added
	 *            as special tokens
	 * @param preTokenizer
	 *            the Hugging Face pre-tokenizer type, e.g. {@code Whitespace} or {@code WhitespaceSplit}
	 * @param postProcessor
	 *            the post_processor object, or null for none
	 * @param cleanUp
	 *            the WordPiece decoder's {@code cleanup} flag
	 */
	public static JsonObject json(List<String> tokens, int specials, String preTokenizer, JsonObject postProcessor,
			boolean cleanUp) {
		if(!tokens.contains(UNKNOWN)) {
			throw new IllegalArgumentException("a word-level vocabulary needs the token " + UNKNOWN);
		}
		JsonObject words = new JsonObject();
		JsonArray added = new JsonArray();
		for(int id = 0; id < tokens.size(); id++) {
			words.addProperty(tokens.get(id), id);
			if(id < specials) {
				JsonObject special = new JsonObject();
				special.addProperty("id", id);
				special.addProperty("content", tokens.get(id));
				special.addProperty("single_word", false);
				special.addProperty("lstrip", false);
				special.addProperty("rstrip", false);
				special.addProperty("normalized", false);
				special.addProperty("special", true);
				added.add(special);
			}
		}
		JsonObject model = new JsonObject();
		model.addProperty("type", "WordLevel");
		model.add("vocab", words);
		model.addProperty("unk_token", UNKNOWN);
		JsonObject pre = new JsonObject();
		pre.addProperty("type", preTokenizer);
		JsonObject decoder = new JsonObject();
		decoder.addProperty("type", "WordPiece");
		decoder.addProperty("prefix", "##");
		decoder.addProperty("cleanup", cleanUp);
		JsonObject tokenizer = new JsonObject();
		tokenizer.addProperty("version", "1.0");
		tokenizer.add("truncation", null);
		tokenizer.add("padding", null);
		tokenizer.add("added_tokens", added);
		tokenizer.add("normalizer", null);
		tokenizer.add("pre_tokenizer", pre);
		tokenizer.add("post_processor", postProcessor);
		tokenizer.add("decoder", decoder);
		tokenizer.add("model", model);
		return tokenizer;
	}
}
