package org.refusalscope.model.djl.training;

/** A tokenized conversation: prompt (chat template with generation prompt) then answer; loss on the answer only. */
public record TokenizedExample(int[] ids, int promptLength, boolean harmful) {
}
