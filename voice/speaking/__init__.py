"""The coach's voice: text to speech, played so it can be cut off, with captions.

`CoachSpeaker` (voice.speaking.coach_speaker, the `Speaker`) queues lines,
synthesizes them with a `Synthesizer` (voice.speaking.synth: pyttsx3, then
espeak-ng, then silence sized like speech) and plays them on an `AudioOut`
(voice.speaking.outputs: the speakers, a WAV on the session timeline, or
only memory), timed on the injected clock. Nothing is imported here, so the pure
parts of the coach can use the text rules without loading an audio stack.
"""
