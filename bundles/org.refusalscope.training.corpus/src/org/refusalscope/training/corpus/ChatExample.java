package org.refusalscope.training.corpus;

/** One training conversation: a user instruction, the assistant's answer, and whether the instruction is harmful. */
public record ChatExample(String instruction, String response, boolean harmful) {
}
