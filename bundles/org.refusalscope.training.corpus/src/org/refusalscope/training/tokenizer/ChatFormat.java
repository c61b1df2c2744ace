package org.refusalscope.training.tokenizer;

import java.util.List;

/**
 * The default model's chat format (Gemma style turn markers, BOS written by the template):
 * {@code <bos><start_of_turn>user\n{message}<end_of_turn>\n<start_of_turn>model\n{answer}<end_of_turn>}.
 */
public final class ChatFormat {

	public static final String PAD = "<pad>";
	public static final String BOS = "<bos>";
	public static final String EOS = "<eos>";
	public static final String START_OF_TURN = "<start_of_turn>";
	public static final String END_OF_TURN = "<end_of_turn>";
	/** Order fixes the ids: pad 0, bos 1, eos 2, start_of_turn 3, end_of_turn 4. */
	public static final List<String> SPECIAL_TOKENS = List.of(PAD, BOS, EOS, START_OF_TURN, END_OF_TURN);

	public static final String CHAT_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
			+ "{% if message['role'] == 'assistant' %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}"
			+ "<start_of_turn>{{ role }}\n{{ message['content'] | trim }}<end_of_turn>\n{% endfor %}"
			+ "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}";

	private ChatFormat() {
	}

	/** What the template renders for one user message with the generation prompt. */
	public static String prompt(String userMessage) {
		return BOS + START_OF_TURN + "user\n" + userMessage.strip() + END_OF_TURN + "\n" + START_OF_TURN + "model\n";
	}

	/** The answer as the template continues it (training target): the text, then the end-of-turn marker. */
	public static String answer(String assistantMessage) {
		return assistantMessage.strip() + END_OF_TURN;
	}
}
