# Regenerates the numpy-written fixtures the npy/npz tests read (run: python3 make_fixtures.py; numpy 2.x).
import numpy as np
a = (np.arange(12, dtype=np.float32).reshape(3, 4) - 5.5) / 4
b = np.array([1.5, -2.25, 1e-3], dtype=np.float64)
c = np.array([[0.5, -1.0], [2.0, 65504.0]], dtype=np.float16)
np.savez("numpy_stored.npz", W_enc=a, b_enc=b, half=c)
np.savez_compressed("numpy_deflated.npz", W_enc=a, b_enc=b, half=c)
np.save("numpy_fortran.npy", np.asfortranarray(a))
np.save("numpy_bigendian.npy", a.astype(">f4"))
np.save("numpy_scalar.npy", np.float32(3.25))
