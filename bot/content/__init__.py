"""The guidance library: topic, hotline and agency files, their schema and the stores."""
