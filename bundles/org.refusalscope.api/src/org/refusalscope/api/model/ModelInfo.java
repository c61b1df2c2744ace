package org.refusalscope.api.model;

import java.nio.file.Path;

/**
 * What a loaded model is.
 *
 * @param name           folder name or {@code "default"}
 * @param modelType      {@code config.json} model_type, e.g. {@code gemma2} or {@code llama}
 * @param location       the folder it was loaded from
 * @param numLayers      number of transformer blocks; layers are 0-based block indices
 * @param hiddenSize     d_model
 * @param vocabSize      vocabulary size of the unembedding
 * @param eosTokenIds    ids that end generation
 * @param bosTokenId     id of BOS or -1
 * @param weightsDtype   dtype of the stored weights ({@code F32}, {@code BF16}, {@code F16})
 * @param computeDtype   dtype the forward pass runs in
 * @param parameterCount number of parameters
 */
public record ModelInfo(String name, String modelType, Path location, int numLayers, int hiddenSize,
		int vocabSize, int[] eosTokenIds, int bosTokenId, String weightsDtype, String computeDtype,
		long parameterCount) {
}
