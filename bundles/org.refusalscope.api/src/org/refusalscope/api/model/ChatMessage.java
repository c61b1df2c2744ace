package org.refusalscope.api.model;

/** One message of a chat, {@code role} being {@code system}, {@code user} or {@code assistant}. */
public record ChatMessage(String role, String content) {

	public static ChatMessage user(String content) {
		return new ChatMessage("user", content);
	}
}
