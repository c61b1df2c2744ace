package org.refusalscope.api.model;

import java.util.List;

/**
 * A loaded model: tokenizer, chat template, batched forward with interventions, and generation. Thread-confined:
 * callers serialise access.
 */
public interface LanguageModel extends AutoCloseable {

	ModelInfo info();

	/** Token ids of {@code text}; with {@code addSpecialTokens} the tokenizer's BOS etc. are added. */
	int[] tokenize(String text, boolean addSpecialTokens);

	String decode(int[] ids);

	/** The text of one token id as the tokenizer decodes it alone. */
	String tokenText(int id);

	/** Id of a token text that is exactly one token in the vocabulary, or -1. */
	int tokenId(String token);

	/** The chat template rendered with {@code add_generation_prompt} as asked. */
	String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt);

	/**
	 * Token ids of a rendered chat, without a doubled BOS (the template usually writes BOS already).
	 */
	int[] encodeChat(List<ChatMessage> messages);

	/** Source text of the chat template in use, recorded in every run. */
	String chatTemplate();

	ForwardResult forward(ForwardRequest request);

	List<GenerationResult> generate(GenerationRequest request);

	@Override
	void close();
}
