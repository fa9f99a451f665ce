import SkiffAPI
