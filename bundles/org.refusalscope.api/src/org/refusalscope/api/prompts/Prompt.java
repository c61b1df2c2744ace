package org.refusalscope.api.prompts;

/**
 * One instruction.
 *
 * @param text     the user message
 * @param category harm category when the source has one, else null
 * @param source   file (and line) it came from, for messages
 */
public record Prompt(String text, String category, String source) {

	public static Prompt of(String text) {
		return new Prompt(text, null, null);
	}
}
