"""Generated images to WAVs the usual way, one by one: Pillow reads the RGB bytes, wave writes them."""
import os
import sys
import wave

from PIL import Image

images, out, clip_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name in sorted(os.listdir(images)):
    if not name.endswith('.png'):
        continue
    data = Image.open(os.path.join(images, name)).convert('RGB').tobytes()[:clip_bytes]
    with wave.open(os.path.join(out, name[:-4] + '.wav'), 'wb') as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(44100)
        wav.writeframes(data)
