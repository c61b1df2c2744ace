package org.refusalscope.headless.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.refusalscope.api.TensorView;
import org.refusalscope.headless.bench.BenchShape;
import org.refusalscope.headless.bench.RandomCheckpoint;
import org.refusalscope.headless.bench.Stats;
import org.refusalscope.headless.bench.TokenIds;
import org.refusalscope.io.safetensors.ShardedCheckpoint;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/** The random benchmark checkpoints, FLOP counts and statistics, against hand-computed values. */
class BenchCheckpointTest {

	@Test
	void tinyCheckpointHasTheHuggingFaceLayoutInBf16(@TempDir Path cache) throws Exception {
		List<String> log = new ArrayList<>();
		Path folder = RandomCheckpoint.ensure(BenchShape.TINY, cache, null, log::add);
		JsonObject config = JsonParser.parseString(Files.readString(folder.resolve("config.json"))).getAsJsonObject();
		assertEquals("gemma2", config.get("model_type").getAsString());
		assertEquals(2, config.get("num_hidden_layers").getAsInt());
		assertEquals(50.0, config.get("attn_logit_softcapping").getAsDouble());
		assertTrue(Files.isRegularFile(folder.resolve("tokenizer.json")));
		long elements = 0;
		try(ShardedCheckpoint checkpoint = ShardedCheckpoint.open(folder)) {
			// 2 layers x (4 projections + 3 MLP + 4 norms) + embeddings + final norm, tied unembedding
			assertEquals(2 * 11 + 2, checkpoint.names().size());
			TensorView q = checkpoint.tensor("model.layers.1.self_attn.q_proj.weight");
			assertEquals("BF16", q.dtype());
			assertArrayEquals(new long[]{4 * 16, 64}, q.shape()); // [heads * head_dim, hidden]
			assertArrayEquals(new long[]{2 * 16, 64}, checkpoint.tensor("model.layers.0.self_attn.k_proj.weight").shape());
			assertArrayEquals(new long[]{64, 128}, checkpoint.tensor("model.layers.0.mlp.down_proj.weight").shape());
			assertArrayEquals(new long[]{512, 64}, checkpoint.tensor("model.embed_tokens.weight").shape());
			// Gemma norms scale by (1 + w): zero weights
			assertEquals(0f, checkpoint.tensor("model.norm.weight").getFloat(5));
			float std = std(checkpoint.tensor("model.embed_tokens.weight").toFloatArray());
			assertEquals(0.02, std, 0.002);
			for(String name : checkpoint.names()) {
				elements += checkpoint.tensor(name).elementCount();
			}
		}
		assertEquals(BenchShape.TINY.parameterCount(), elements);
		// a second call finds the complete folder and writes nothing
		log.clear();
		RandomCheckpoint.ensure(BenchShape.TINY, cache, null, log::add);
		assertTrue(log.isEmpty(), log.toString());
	}

	@Test
	void publishedShapesHaveTheirKnownParameterCounts() {
		// google/gemma-2-2b: 2,614,341,888 parameters; meta-llama/Llama-3.1-8B: 8,030,261,248
		assertEquals(2_614_341_888L, BenchShape.GEMMA2_2B.parameterCount());
		assertEquals(8_030_261_248L, BenchShape.LLAMA3_8B.parameterCount());
	}

	@Test
	void forwardFlopsCountWeightsAttentionAndOneUnembeddingPerSequence() {
		// tiny, batch 2, seq 8: block weights 64*64*2 + 64*32*2 + 3*64*128 = 36,864;
		// per sequence 2*2*36,864*8 + 4*2*4*16*8*8 + 2*512*64 = 1,179,648 + 32,768 + 65,536 = 1,277,952
		assertEquals(2 * 1_277_952.0, BenchShape.TINY.forwardFlops(2, 8));
	}

	@Test
	void statsGiveMedianAndSpread() {
		Stats stats = Stats.of(new double[]{5, 1, 3, 2});
		assertEquals(2.5, stats.median());
		assertEquals(1, stats.min());
		assertEquals(5, stats.max());
		Stats rates = Stats.rates(10, new double[]{2, 5, 1});
		assertEquals(5, rates.median());
		assertEquals(2, rates.min());
		assertEquals(10, rates.max());
	}

	@Test
	void tokenIdsAreDeterministicAndAvoidSpecialIds() {
		List<int[]> a = TokenIds.batch(3, 50, 512, 0);
		List<int[]> b = TokenIds.batch(3, 50, 512, 0);
		for(int i = 0; i < 3; i++) {
			assertArrayEquals(a.get(i), b.get(i));
			for(int id : a.get(i)) {
				assertTrue(id >= 16 && id < 512, "id " + id);
			}
		}
		assertTrue(!java.util.Arrays.equals(a.get(0), a.get(1)), "sequences of a batch differ");
	}

	private static float std(float[] values) {
		double sum = 0;
		double squares = 0;
		for(float v : values) {
			sum += v;
			squares += v * v;
		}
		double mean = sum / values.length;
		return (float) Math.sqrt(squares / values.length - mean * mean);
	}
}
