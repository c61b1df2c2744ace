package org.refusalscope.api.judge;

/**
 * @param refused whether the response is a refusal
 * @param reason  short evidence, e.g. the matched phrase
 */
public record Verdict(boolean refused, String reason) {
}
